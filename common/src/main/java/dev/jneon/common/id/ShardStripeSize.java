package dev.jneon.common.id;

/**
 * How many consecutive blocks of a relation go to one shard before the hash moves on: an unsigned
 * 32-bit page count, held in an int, never 0. {@link #DEFAULT} is 2048 pages (16 MiB); tenants
 * created by older Neon versions use {@link #LEGACY} (32768). Persisted even for unsharded tenants.
 * Immutable.
 */
public record ShardStripeSize(int pages) {

    public static final ShardStripeSize DEFAULT = new ShardStripeSize(2048);
    public static final ShardStripeSize LEGACY = new ShardStripeSize(32768);

    public ShardStripeSize {
        if (pages == 0) {
            throw new IllegalArgumentException("shard stripe size must not be 0 pages");
        }
    }

    /** From an unsigned 32-bit page count, as carried in JSON; rejects 0 and values above 2^32-1. */
    public static ShardStripeSize of(long pages) {
        if (pages <= 0 || pages > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("shard stripe size " + pages + " is outside 1..4294967295 pages");
        }
        return new ShardStripeSize((int) pages);
    }

    /** The page count as an unsigned number. */
    public long unsignedPages() {
        return Integer.toUnsignedLong(pages);
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(pages);
    }
}
