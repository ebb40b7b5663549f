package dev.jneon.pageserver.page;

/**
 * Why a page-service read was refused; each kind maps to one gRPC status in the grpc package.
 * Immutable.
 */
public abstract sealed class PageReadException extends RuntimeException {

    private PageReadException(String message) {
        super(message);
    }

    /** The request is malformed or asks for an LSN that cannot be read (zero, garbage collected...). */
    public static final class InvalidRequest extends PageReadException {
        public InvalidRequest(String message) {
            super(message);
        }
    }

    /** The relation, database or SLRU segment does not exist at the read LSN. */
    public static final class NotFound extends PageReadException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The timeline did not reach the LSN the request depends on within the wait-LSN timeout. */
    public static final class LsnTimeout extends PageReadException {
        public LsnTimeout(String message) {
            super(message);
        }
    }
}
