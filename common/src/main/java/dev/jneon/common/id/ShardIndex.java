package dev.jneon.common.id;

import java.util.ArrayList;
import java.util.List;

/**
 * Which shard of how many: the pair that names a shard without its tenant. Text form (the "slug") is
 * {@code %02x%02x} of number then count, e.g. {@code 0104} for shard 1 of 4 and {@code 0000} for the
 * legacy unsharded form; it appears in layer metadata, object names and the gRPC {@code neon-shard-id}
 * header. The number must be below the effective count. Ordered by number, then count. Immutable.
 */
public record ShardIndex(ShardNumber number, ShardCount count) implements Comparable<ShardIndex> {

    public static final ShardIndex UNSHARDED = new ShardIndex(ShardNumber.ZERO, ShardCount.UNSHARDED);

    public ShardIndex {
        if (number == null || count == null) {
            throw new IllegalArgumentException("shard number and count must not be null");
        }
        if (number.value() >= count.effective()) {
            throw new IllegalArgumentException("shard number " + number + " is not below shard count " + count);
        }
    }

    public static ShardIndex of(int number, int count) {
        return new ShardIndex(ShardNumber.of(number), ShardCount.of(count));
    }

    /** Parses the 4-hex-digit slug; throws {@link IllegalArgumentException} naming the bad input. */
    public static ShardIndex parse(String slug) {
        if (slug == null || slug.length() != 4) {
            throw new IllegalArgumentException("malformed shard index '" + slug + "': expected 4 hex digits, e.g. 0104");
        }
        int number = (int) HexDigits.parseUnsigned(slug, 0, 2, "shard index");
        int count = (int) HexDigits.parseUnsigned(slug, 2, 4, "shard index");
        try {
            return of(number, count);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed shard index '" + slug + "': " + e.getMessage());
        }
    }

    public boolean isUnsharded() {
        return count.isUnsharded();
    }

    public boolean isShardZero() {
        return number.value() == 0;
    }

    /** {@code -<slug>} for file and object names, or the empty string when unsharded. */
    public String suffix() {
        return isUnsharded() ? "" : "-" + this;
    }

    /**
     * The shards of {@code newCount} that take over this shard's keys after a split: numbers
     * {@code k < newCount} with {@code k % effective count == number}, ascending.
     */
    public List<ShardIndex> split(ShardCount newCount) {
        if (newCount.value() < count.effective()) {
            throw new IllegalArgumentException("cannot split shard " + this + " into fewer shards (" + newCount + ")");
        }
        List<ShardIndex> children = new ArrayList<>();
        for (int k = number.value(); k < newCount.value(); k += count.effective()) {
            children.add(new ShardIndex(ShardNumber.of(k), newCount));
        }
        return List.copyOf(children);
    }

    @Override
    public int compareTo(ShardIndex o) {
        int c = number.compareTo(o.number);
        return c != 0 ? c : count.compareTo(o.count);
    }

    /** The slug. */
    @Override
    public String toString() {
        return String.format("%02x%02x", number.value(), count.value());
    }
}
