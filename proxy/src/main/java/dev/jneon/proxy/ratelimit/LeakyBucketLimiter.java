package dev.jneon.proxy.ratelimit;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A leaky bucket per key (B.12): each admitted event adds 1, the level drains at {@code rate} per
 * second, and an event that would lift the level above {@code burst} is refused. Used per
 * normalized endpoint for connection attempts and per client subnet for cancel requests. Buckets
 * that have drained empty are dropped when the map grows past {@value #SWEEP_AT} keys.
 * Thread-safe: per-key updates are atomic ({@link ConcurrentHashMap#compute}).
 *
 * @param <K> the key type
 */
public final class LeakyBucketLimiter<K> {

    private static final int SWEEP_AT = 10_000;

    private record Bucket(double level, long atNanos) {
    }

    private final double rate;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<K, Bucket> buckets = new ConcurrentHashMap<>();

    public LeakyBucketLimiter(double rate, double burst) {
        this(rate, burst, System::nanoTime);
    }

    LeakyBucketLimiter(double rate, double burst, LongSupplier nanoTime) {
        if (!(rate > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1, got " + rate + ", " + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Admits one event for {@code key}, or returns false if its bucket is full. */
    public boolean tryAcquire(K key) {
        long now = nanoTime.getAsLong();
        boolean[] admitted = {false};
        buckets.compute(key, (k, b) -> {
            double level = b == null ? 0 : drained(b, now);
            if (level + 1 > burst) {
                return new Bucket(level, now);
            }
            admitted[0] = true;
            return new Bucket(level + 1, now);
        });
        if (buckets.size() > SWEEP_AT) {
            buckets.entrySet().removeIf(e -> drained(e.getValue(), now) == 0);
        }
        return admitted[0];
    }

    private double drained(Bucket b, long now) {
        return Math.max(0, b.level() - (now - b.atNanos()) / 1e9 * rate);
    }

    /** The key of a client's subnet for cancel limits: its /24 (IPv4) or /64 (IPv6) prefix. */
    public static String subnet(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] prefix = Arrays.copyOf(bytes, bytes.length == 4 ? 3 : 8);
        return java.util.HexFormat.of().formatHex(prefix);
    }
}
