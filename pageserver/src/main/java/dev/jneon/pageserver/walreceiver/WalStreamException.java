package dev.jneon.pageserver.walreceiver;

/** A WAL stream failed: transport error, refusal by the safekeeper or unexpected bytes. */
public final class WalStreamException extends RuntimeException {

    public WalStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
