package dev.jneon.common.remote;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How {@link RetryingRemoteStorage} repeats a failed call: at most {@code maxAttempts} attempts; before
 * attempt {@code n + 1} it sleeps a uniformly random time in {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}
 * ("full jitter", so callers that failed together do not retry together). Immutable.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    /** 10 attempts from 100 ms up to 10 s apart: about a minute of outage before giving up. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(10));

    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay: " + baseDelay + ", " + maxDelay);
        }
    }

    /** The upper bound of the sleep after failed attempt {@code failedAttempt} (1-based). */
    public Duration ceiling(int failedAttempt) {
        int doublings = Math.min(failedAttempt - 1, 30);
        long nanos = baseDelay.toNanos();
        long ceiling = nanos > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : nanos << doublings;
        return Duration.ofNanos(Math.min(ceiling, maxDelay.toNanos()));
    }

    /** A random sleep in {@code [0, ceiling(failedAttempt)]}. */
    public Duration delay(int failedAttempt, RandomGenerator random) {
        long ceiling = ceiling(failedAttempt).toNanos();
        return Duration.ofNanos(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }
}
