package dev.jneon.common.scram;

/**
 * A failed SCRAM exchange, typed by what the caller tells its peer. Checked: every step of an exchange can fail
 * and the caller must answer (an ErrorResponse on the wire, a failed connect to a compute).
 */
public final class ScramException extends Exception {

    /** Why the exchange failed. */
    public enum Reason {
        /** A message does not follow the RFC 5802 grammar, or arrived out of order. */
        MALFORMED_MESSAGE,
        /** The mechanism is not SCRAM-SHA-256[-PLUS], or the peer offers none we speak. */
        UNSUPPORTED_MECHANISM,
        /** Channel binding flags or data disagree (downgrade, wrong type, mismatched {@code c=}). */
        CHANNEL_BINDING,
        /** The final nonce is not the combined nonce. */
        NONCE_MISMATCH,
        /** The client proof is wrong (or the role does not exist): the password is wrong. */
        AUTHENTICATION_FAILED,
        /** Client side: the server's signature is wrong, or the server reported an error ({@code e=}). */
        SERVER_REJECTED
    }

    private final Reason reason;

    public ScramException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
