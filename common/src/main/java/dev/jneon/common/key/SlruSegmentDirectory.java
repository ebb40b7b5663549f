package dev.jneon.common.key;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The value at {@link Key#slruDir}: the segment numbers (unsigned 32-bit) that exist for one SLRU.
 * Encoding (Neon BeSer of a set of u32): u64 count, then each u32 big-endian; written in ascending
 * unsigned order, read in any order. {@link #segments()} is an unmodifiable set in that order.
 * Immutable.
 */
public record SlruSegmentDirectory(Set<Integer> segments) {

    private static final Comparator<Integer> ORDER = Integer::compareUnsigned;

    public static final SlruSegmentDirectory EMPTY = new SlruSegmentDirectory(new TreeSet<>());

    public SlruSegmentDirectory {
        segments = DirectorySet.frozen(segments, ORDER, "SLRU segment numbers");
    }

    public boolean contains(int segment) {
        return segments.contains(segment);
    }

    public SlruSegmentDirectory with(int segment) {
        return new SlruSegmentDirectory(DirectorySet.plus(segments, segment, ORDER));
    }

    public SlruSegmentDirectory without(int segment) {
        return new SlruSegmentDirectory(DirectorySet.minus(segments, segment, ORDER));
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(8 + 4 * segments.size());
        out.putLong(segments.size());
        segments.forEach(out::putInt);
        return out.array();
    }

    public static SlruSegmentDirectory decode(byte[] bytes) {
        BeSerReader in = new BeSerReader(bytes, "SlruSegmentDirectory");
        return new SlruSegmentDirectory(in.set(4, ORDER, in::u32, s -> "segment " + Integer.toUnsignedString(s)));
    }
}
