package dev.jneon.safekeeper.acceptor;

/**
 * Where an {@link Acceptor} persists its {@link AcceptorState}. {@link #persist} returns only once the
 * state is durable (atomically: after a crash the old or the new state is found, never a mix); a
 * failure to make it durable stops the process. Not thread-safe; owned by one acceptor.
 */
public interface ControlFileStore {

    void persist(AcceptorState state);
}
