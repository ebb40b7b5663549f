package dev.jneon.proxy.cplane;

import java.time.Duration;

/**
 * Exponential backoff of B.9: up to {@code maxRetries} retries, the n-th (from 0) after
 * {@code base * factor^(n-1)}. Wake: 8 retries, 100 ms, 1.6 (sleeps 62, 100, 160, ... 1678 ms); connect: 5,
 * 200 ms, 2. Immutable.
 */
public record RetryPolicy(int maxRetries, Duration base, double factor) {

    public static final RetryPolicy WAKE = new RetryPolicy(8, Duration.ofMillis(100), 1.6);
    public static final RetryPolicy CONNECT = new RetryPolicy(5, Duration.ofMillis(200), 2);

    /** How a caller waits between attempts; tests substitute one that records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d);
    }

    public RetryPolicy {
        if (maxRetries < 0 || base.isNegative() || !(factor >= 1)) {
            throw new IllegalArgumentException("bad retry policy " + maxRetries + ", " + base + ", " + factor);
        }
    }

    /** The wait before retry {@code n} (0-based). */
    public Duration delay(int n) {
        return Duration.ofNanos((long) (base.toNanos() * Math.pow(factor, n - 1)));
    }
}
