package dev.jneon.common.id;

/**
 * A position in the WAL: a byte offset into the timeline's infinite log, compared unsigned.
 *
 * <p>Text form is PostgreSQL's {@code %X/%X} (high and low 32 bits, uppercase hex, no padding),
 * e.g. {@code 0/16B5A50}; parsing also accepts lowercase. {@link #INVALID} (0) means "no LSN";
 * {@link #MAX} means "latest" where a protocol says so. Immutable.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    public static final Lsn INVALID = new Lsn(0);
    public static final Lsn MAX = new Lsn(-1L);

    /** WAL page size (XLOG_BLCKSZ). */
    public static final int WAL_PAGE_SIZE = 8192;
    /** Default WAL segment size. */
    public static final int DEFAULT_SEGMENT_SIZE = 16 * 1024 * 1024;

    public static Lsn of(long value) {
        return value == 0 ? INVALID : new Lsn(value);
    }

    /** Parses {@code X/Y}; throws {@link IllegalArgumentException} naming the bad input. */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LSN must not be null");
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("malformed LSN '" + text + "': expected X/Y in hex, e.g. 0/16B5A50");
        }
        try {
            long hi = Long.parseLong(text, 0, slash, 16);
            long lo = Long.parseLong(text, slash + 1, text.length(), 16);
            if (hi < 0 || lo < 0) {
                throw new NumberFormatException();
            }
            return of(hi << 32 | lo);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed LSN '" + text + "': expected X/Y in hex, e.g. 0/16B5A50");
        }
    }

    public boolean isValid() {
        return value != 0;
    }

    public Lsn plus(long bytes) {
        return of(value + bytes);
    }

    /** Bytes from {@code other} up to this LSN; negative if {@code other} is ahead. */
    public long minus(Lsn other) {
        return value - other.value;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static Lsn min(Lsn a, Lsn b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Rounds up to a multiple of 8, the alignment of WAL records. */
    public Lsn alignUp8() {
        return of((value + 7) & ~7L);
    }

    public boolean isAligned8() {
        return (value & 7) == 0;
    }

    /** Number of the segment holding this LSN, for a segment size that is a power of two. */
    public long segmentNumber(int segmentSize) {
        return Long.divideUnsigned(value, segmentSize);
    }

    /** Offset of this LSN within its segment. */
    public int segmentOffset(int segmentSize) {
        return (int) Long.remainderUnsigned(value, segmentSize);
    }

    /** Start LSN of the segment holding this LSN. */
    public Lsn segmentStart(int segmentSize) {
        return of(value - segmentOffset(segmentSize));
    }

    public boolean isSegmentStart(int segmentSize) {
        return segmentOffset(segmentSize) == 0;
    }

    /** Offset of this LSN within its 8 KiB WAL page. */
    public int pageOffset() {
        return (int) (value & (WAL_PAGE_SIZE - 1));
    }

    /** Start LSN of the WAL page holding this LSN. */
    public Lsn pageStart() {
        return of(value & ~(long) (WAL_PAGE_SIZE - 1));
    }

    public boolean isPageStart() {
        return pageOffset() == 0;
    }

    /** {@code %016X}, the form used in layer file names. */
    public String toHex16() {
        return String.format("%016X", value);
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
