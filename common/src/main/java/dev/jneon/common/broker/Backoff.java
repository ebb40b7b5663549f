package dev.jneon.common.broker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a broker client waits before reconnecting: {@code initial * multiplier^(failures-1)},
 * capped at {@code max}, with up to 10% random jitter either way so clients restarted together do
 * not reconnect in lockstep. A safekeeper uses {@link #fixed} (1 s); a pageserver grows from
 * 100 ms by 1.5 up to 15 s. Immutable.
 *
 * @param initial delay after the first failure
 * @param max largest delay
 * @param multiplier growth per further consecutive failure, at least 1
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1, got " + multiplier);
        }
    }

    /** The same delay after every failure. */
    public static Backoff fixed(Duration delay) {
        return new Backoff(delay, delay, 1.0);
    }

    /** Grows from {@code initial} by 1.5 per failure up to {@code max}. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 1.5);
    }

    /** The delay before the next attempt after {@code failures} (at least 1) consecutive failures. */
    public Duration delayAfter(int failures) {
        double nanos = initial.toNanos() * Math.pow(multiplier, Math.max(0, failures - 1));
        double capped = Math.min(nanos, max.toNanos());
        double jitter = 1.0 + ThreadLocalRandom.current().nextDouble(-0.1, 0.1);
        return Duration.ofNanos(Math.max(1, (long) (capped * jitter)));
    }
}
