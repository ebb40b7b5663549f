package dev.jneon.common.service;

/**
 * The errors a management API returns, typed by what the caller should do. Mapped to HTTP status in
 * {@link ApiErrorHandler} (and to gRPC status by the gRPC layers); the body is Neon's {@code {"msg": "..."}}.
 */
public sealed class ApiError extends RuntimeException {

    private ApiError(String message) {
        super(message, null, false, false);
    }

    /** 400: the request is malformed or asks for something impossible. */
    public static final class BadRequest extends ApiError {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** 404: the tenant, timeline or object does not exist. */
    public static final class NotFound extends ApiError {
        public NotFound(String message) {
            super(message);
        }
    }

    /** 409: the request conflicts with the current state (exists differently, in progress). */
    public static final class Conflict extends ApiError {
        public Conflict(String message) {
            super(message);
        }
    }

    /** 412: a precondition about other objects does not hold (e.g. a timeline still has children). */
    public static final class PreconditionFailed extends ApiError {
        public PreconditionFailed(String message) {
            super(message);
        }
    }

    /** 503: temporarily unable (shutting down, not yet active); retry later. */
    public static final class Unavailable extends ApiError {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** 500: a bug or an unexpected failure; the message is safe to show, details are in the log. */
    public static final class Internal extends ApiError {
        public Internal(String message) {
            super(message);
        }
    }

    public int httpStatus() {
        return switch (this) {
            case BadRequest e -> 400;
            case NotFound e -> 404;
            case Conflict e -> 409;
            case PreconditionFailed e -> 412;
            case Unavailable e -> 503;
            case Internal e -> 500;
            default -> 500;
        };
    }
}
