package dev.jneon.common.remote;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.TimeoutException;

/**
 * Why a remote storage call failed, typed by what the caller does about it: {@link NotFound} (the
 * object is not there; never retried), {@link Cancelled} (the calling thread was interrupted; its
 * interrupt status is set again when this is thrown; never retried), {@link Timeout} (a request
 * exceeded its {@link RemoteTimeouts} limit; retryable) and {@link Other} (anything else; retryable
 * unless {@link Other#retryable()} says the same request cannot succeed, such as a refused
 * credential or a malformed request). Backends map their SDK's errors to these at the edge.
 */
public abstract sealed class RemoteStorageException extends Exception {

    private RemoteStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether repeating the same call may succeed. */
    public abstract boolean retryable();

    /** The object (or the container/bucket) does not exist. */
    public static final class NotFound extends RemoteStorageException {
        public NotFound(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The calling thread was interrupted. */
    public static final class Cancelled extends RemoteStorageException {
        public Cancelled(String message, Throwable cause) {
            super(message, cause);
            Thread.currentThread().interrupt();
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** A request took longer than its time limit. */
    public static final class Timeout extends RemoteStorageException {
        public Timeout(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** Any other failure: network, server, throttling, authentication, invalid request. */
    public static final class Other extends RemoteStorageException {
        private final boolean retryable;

        public Other(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        @Override
        public boolean retryable() {
            return retryable;
        }
    }

    /** Whether {@code failure} or one of its causes is a socket, HTTP or wait timeout. */
    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link Cancelled} when {@code failure} came from an interrupt of the calling thread (an
     * {@link InterruptedException}, an interrupted I/O call or a set interrupt status), else null.
     */
    static Cancelled ifInterrupted(String what, Throwable failure) {
        boolean interrupted = Thread.interrupted();
        for (Throwable t = failure; t != null && !interrupted; t = t.getCause()) {
            interrupted = t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException);
        }
        return interrupted ? new Cancelled(what + ": interrupted", failure) : null;
    }
}
