package dev.jneon.common.key;

/**
 * The 127-bit form of a {@link Key} used where 16 bytes must do (Neon's i128 key):
 * {@code field1<<120 | field2<<104 | field3<<72 | field4<<40 | field5<<32 | field6}, which needs
 * field1 ≤ 0x7F and field2 ≤ 0xFFFF. Held as the high and low 64 bits; bit 127 is always 0, so
 * {@code high} is never negative and the order (high signed, low unsigned) equals the keys' order.
 * Immutable.
 */
public record CompactKey(long high, long low) implements Comparable<CompactKey> {

    public CompactKey {
        if (high < 0) {
            throw new IllegalArgumentException("compact key has bit 127 set: high=" + Long.toHexString(high));
        }
    }

    public Key toKey() {
        return Key.fromCompact(this);
    }

    @Override
    public int compareTo(CompactKey o) {
        int c = Long.compare(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    /** 32 hex digits, uppercase. */
    @Override
    public String toString() {
        return String.format("%016X%016X", high, low);
    }
}
