package dev.jneon.common.id;

/**
 * How many shards a tenant is split into: an unsigned byte. 0 is the legacy unsharded form (no shard
 * suffix anywhere); 1 is one shard with a suffix ({@code -0001}). Both hold every key; {@link #effective()}
 * is the number of shards keys are spread over. Ordered numerically. Immutable.
 */
public record ShardCount(int value) implements Comparable<ShardCount> {

    public static final ShardCount UNSHARDED = new ShardCount(0);

    public ShardCount {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("shard count " + value + " is outside 0..255");
        }
    }

    public static ShardCount of(int value) {
        return value == 0 ? UNSHARDED : new ShardCount(value);
    }

    /** max(count, 1). */
    public int effective() {
        return Math.max(value, 1);
    }

    public boolean isUnsharded() {
        return value == 0;
    }

    @Override
    public int compareTo(ShardCount o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
