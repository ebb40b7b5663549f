package dev.jneon.common.key;

import java.util.Comparator;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads Neon's {@code BeSer} encoding (bincode, big-endian fixed-width integers, collections as a
 * u64 count then the elements) from a byte array and checks that every byte is consumed. Errors are
 * {@link IllegalArgumentException}s naming the value being decoded. Not thread-safe; one per decode.
 */
final class BeSerReader {

    private final byte[] bytes;
    private final String what;
    private int pos;

    BeSerReader(byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException(what + " bytes must not be null");
        }
        this.bytes = bytes;
        this.what = what;
    }

    /** A collection count, checked against the bytes left for elements of {@code elementSize} bytes. */
    int count(int elementSize) {
        long count = u64();
        if (count < 0 || count > (bytes.length - pos) / elementSize) {
            throw fail("count " + Long.toUnsignedString(count) + " needs more than the " + (bytes.length - pos)
                    + " bytes left");
        }
        return (int) count;
    }

    /**
     * A whole set value: count, elements read by {@code element}, end of input. A repeated element
     * is an error naming it with {@code name}.
     */
    <T> SortedSet<T> set(int elementSize, Comparator<? super T> order, Supplier<T> element, Function<T, String> name) {
        int count = count(elementSize);
        TreeSet<T> set = new TreeSet<>(order);
        for (int i = 0; i < count; i++) {
            T item = element.get();
            if (!set.add(item)) {
                throw fail(name.apply(item) + " is listed twice");
            }
        }
        end();
        return set;
    }

    int u8() {
        need(1);
        return bytes[pos++] & 0xFF;
    }

    boolean bool() {
        int b = u8();
        if (b > 1) {
            throw fail("bool byte " + b + " at offset " + (pos - 1) + " is neither 0 nor 1");
        }
        return b == 1;
    }

    int u32() {
        need(4);
        int v = (bytes[pos] & 0xFF) << 24 | (bytes[pos + 1] & 0xFF) << 16 | (bytes[pos + 2] & 0xFF) << 8
                | (bytes[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long u64() {
        long hi = Integer.toUnsignedLong(u32());
        return hi << 32 | Integer.toUnsignedLong(u32());
    }

    /** Throws unless every byte was read. */
    void end() {
        if (pos != bytes.length) {
            throw fail((bytes.length - pos) + " trailing bytes after offset " + pos);
        }
    }

    IllegalArgumentException fail(String problem) {
        return new IllegalArgumentException("malformed " + what + " (" + bytes.length + " bytes): " + problem);
    }

    private void need(int n) {
        if (bytes.length - pos < n) {
            throw fail("truncated at offset " + pos + ", needs " + n + " more bytes");
        }
    }
}
