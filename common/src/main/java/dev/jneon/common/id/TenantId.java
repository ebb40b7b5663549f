package dev.jneon.common.id;

/**
 * Identifies a tenant: 16 random bytes, held as two big-endian longs. Text and JSON form is 32
 * lowercase hex digits (parsing accepts uppercase); binary form (protobuf, BeSer) is the 16 bytes.
 * Ordered as unsigned 128-bit numbers, i.e. by bytes. Immutable.
 */
public record TenantId(long high, long low) implements Comparable<TenantId> {

    private static final String WHAT = "TenantId";

    /** A fresh random id from a cryptographically strong source. */
    public static TenantId generate() {
        long[] v = Id128.random();
        return new TenantId(v[0], v[1]);
    }

    /** Parses 32 hex digits; throws {@link IllegalArgumentException} naming the bad input. */
    public static TenantId parse(String text) {
        long[] v = Id128.parse(text, WHAT);
        return new TenantId(v[0], v[1]);
    }

    /** From exactly 16 bytes, as written by {@link #toBytes()}. */
    public static TenantId fromBytes(byte[] bytes) {
        long[] v = Id128.fromBytes(bytes, WHAT);
        return new TenantId(v[0], v[1]);
    }

    /** The 16 bytes, most significant first; a fresh array each call. */
    public byte[] toBytes() {
        return Id128.toBytes(high, low);
    }

    @Override
    public int compareTo(TenantId o) {
        return Id128.compare(high, low, o.high, o.low);
    }

    @Override
    public String toString() {
        return Id128.format(high, low);
    }
}
