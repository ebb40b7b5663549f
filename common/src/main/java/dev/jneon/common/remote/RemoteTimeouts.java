package dev.jneon.common.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-request time limits of a remote storage (Neon's {@code timeout} and {@code small_timeout}):
 * {@code timeout} bounds each data-moving request (an object or part upload, the start of a download,
 * a copy), {@code smallTimeout} each metadata request (head, delete, one list page). A request over its
 * limit fails with {@link RemoteStorageException.Timeout}. Immutable.
 */
public record RemoteTimeouts(Duration timeout, Duration smallTimeout) {

    /** 120 s and 30 s, Neon's defaults. */
    public static final RemoteTimeouts DEFAULT = new RemoteTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(30));

    public RemoteTimeouts {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(smallTimeout, "smallTimeout");
        if (timeout.isNegative() || timeout.isZero() || smallTimeout.isNegative() || smallTimeout.isZero()) {
            throw new IllegalArgumentException("remote storage timeouts must be positive: " + timeout + ", "
                    + smallTimeout);
        }
    }
}
