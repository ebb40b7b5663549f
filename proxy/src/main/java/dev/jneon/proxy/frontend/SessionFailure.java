package dev.jneon.proxy.frontend;

import dev.jneon.proxy.metrics.ProxyMetrics.ErrorType;
import dev.jneon.proxy.wire.ErrorFields;

/**
 * A session ends with an error the client is told ({@link #error()}), counted under
 * {@code proxy_errors_total{type}}. Immutable.
 */
public final class SessionFailure extends Exception {

    private final transient ErrorFields error;
    private final ErrorType type;

    private SessionFailure(ErrorFields error, ErrorType type) {
        super(error.message(), null, false, false);
        this.error = error;
        this.type = type;
    }

    public static SessionFailure user(ErrorFields error, ErrorType type) {
        return new SessionFailure(error, type);
    }

    /** An error of the proxy's own making (B.2: SQLSTATE XX000). */
    public static SessionFailure of(String message, ErrorType type) {
        return new SessionFailure(ErrorFields.error("XX000", message), type);
    }

    public ErrorFields error() {
        return error;
    }

    public ErrorType type() {
        return type;
    }
}
