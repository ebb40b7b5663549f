package dev.jneon.common.remote;

import java.util.OptionalLong;

/**
 * A byte range of an object for a ranged {@link RemoteStorage#get}: from {@code start} (inclusive)
 * to {@code end} (exclusive), or to the end of the object when {@code end} is absent. A range that
 * reaches past the end of the object is cut at the end; one that starts at or after the end reads
 * nothing. Immutable.
 */
public record ByteRange(long start, OptionalLong end) {

    /** The whole object. */
    public static final ByteRange ALL = new ByteRange(0, OptionalLong.empty());

    public ByteRange {
        if (start < 0) {
            throw new IllegalArgumentException("negative range start " + start);
        }
        if (end.isPresent() && end.getAsLong() < start) {
            throw new IllegalArgumentException("range end " + end.getAsLong() + " before start " + start);
        }
    }

    /** Bytes {@code [start, end)}. */
    public static ByteRange of(long start, long end) {
        return new ByteRange(start, OptionalLong.of(end));
    }

    /** Bytes from {@code start} to the end of the object. */
    public static ByteRange from(long start) {
        return new ByteRange(start, OptionalLong.empty());
    }

    /** Whether the range covers the whole object. */
    public boolean isAll() {
        return start == 0 && end.isEmpty();
    }

    /** Whether the range is empty whatever the object. */
    public boolean isEmpty() {
        return end.isPresent() && end.getAsLong() == start;
    }

    /** The range as an HTTP {@code Range} header value ({@code bytes=0-99}, inclusive end). */
    String httpHeader() {
        return "bytes=" + start + "-" + (end.isPresent() ? Long.toString(end.getAsLong() - 1) : "");
    }
}
