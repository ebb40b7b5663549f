package dev.jneon.safekeeper.acceptor;

/** A control file that lives in memory and survives simulated crashes (test only). Not thread-safe. */
final class InMemoryControlFileStore implements ControlFileStore {

    AcceptorState persisted;
    int writes;

    InMemoryControlFileStore(AcceptorState initial) {
        this.persisted = initial;
    }

    @Override
    public void persist(AcceptorState state) {
        persisted = state;
        writes++;
    }
}
