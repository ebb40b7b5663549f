package dev.jneon.common.id;

/**
 * Identifies a storage node (pageserver or safekeeper): an unsigned 64-bit number handed out by the
 * storage controller or set in the node's config. Text and JSON form is the unsigned decimal number.
 * Ordered unsigned. Immutable.
 */
public record NodeId(long value) implements Comparable<NodeId> {

    public static NodeId of(long value) {
        return new NodeId(value);
    }

    /** Parses an unsigned decimal number; throws {@link IllegalArgumentException} naming the bad input. */
    public static NodeId parse(String text) {
        if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed NodeId '" + text + "': expected an unsigned decimal number");
        }
        try {
            return new NodeId(Long.parseUnsignedLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed NodeId '" + text + "': larger than 2^64-1");
        }
    }

    @Override
    public int compareTo(NodeId o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(value);
    }
}
