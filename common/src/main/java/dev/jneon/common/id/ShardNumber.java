package dev.jneon.common.id;

/** The number of one shard within a tenant: an unsigned byte, 0..255. Ordered numerically. Immutable. */
public record ShardNumber(int value) implements Comparable<ShardNumber> {

    public static final ShardNumber ZERO = new ShardNumber(0);

    public ShardNumber {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("shard number " + value + " is outside 0..255");
        }
    }

    public static ShardNumber of(int value) {
        return value == 0 ? ZERO : new ShardNumber(value);
    }

    @Override
    public int compareTo(ShardNumber o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
