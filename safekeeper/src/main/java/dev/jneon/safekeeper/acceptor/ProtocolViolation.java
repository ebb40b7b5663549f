package dev.jneon.safekeeper.acceptor;

/**
 * A proposer message that the acceptor's current state does not allow (wrong generation, wrong
 * timeline or cluster, append before election, gap). The connection that sent it is ended; the
 * acceptor's state is unchanged by the refused message.
 */
public final class ProtocolViolation extends RuntimeException {

    public ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
