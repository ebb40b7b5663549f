package dev.jneon.common.key;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The value at {@link Key#slruDir}: the segment numbers (unsigned 32-bit) that exist for one SLRU.
 * Encoding (Neon BeSer of a set of u32): u64 count, then each u32 big-endian; written in ascending
 * unsigned order, read in any order. {@link #segments()} is an unmodifiable set in that order.
 * Immutable.
 */
public record SlruSegmentDirectory(Set<Integer> segments) {

    public static final SlruSegmentDirectory EMPTY = new SlruSegmentDirectory(Collections.emptySortedSet());

    public SlruSegmentDirectory {
        segments = Collections.unmodifiableSortedSet(sorted(segments));
    }

    public boolean contains(int segment) {
        return segments.contains(segment);
    }

    public SlruSegmentDirectory with(int segment) {
        TreeSet<Integer> copy = sorted(segments);
        copy.add(segment);
        return new SlruSegmentDirectory(copy);
    }

    public SlruSegmentDirectory without(int segment) {
        TreeSet<Integer> copy = sorted(segments);
        copy.remove(segment);
        return new SlruSegmentDirectory(copy);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(8 + 4 * segments.size());
        out.putLong(segments.size());
        segments.forEach(out::putInt);
        return out.array();
    }

    public static SlruSegmentDirectory decode(byte[] bytes) {
        BeSerReader in = new BeSerReader(bytes, "SlruSegmentDirectory");
        int count = in.count(4);
        TreeSet<Integer> set = sorted(Collections.emptySet());
        for (int i = 0; i < count; i++) {
            int segment = in.u32();
            if (!set.add(segment)) {
                throw in.fail("segment " + Integer.toUnsignedString(segment) + " is listed twice");
            }
        }
        in.end();
        return new SlruSegmentDirectory(set);
    }

    private static TreeSet<Integer> sorted(Collection<Integer> segments) {
        if (segments == null || segments.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("SLRU segment numbers must not be null");
        }
        TreeSet<Integer> set = new TreeSet<>(Integer::compareUnsigned);
        set.addAll(segments);
        return set;
    }
}
