package dev.jneon.safekeeper.wal;

/** Bytes that are not valid PostgreSQL WAL at the position they claim (or the end of WAL on a scan). */
public final class InvalidWalException extends Exception {

    public InvalidWalException(String message) {
        super(message, null, false, false);
    }
}
