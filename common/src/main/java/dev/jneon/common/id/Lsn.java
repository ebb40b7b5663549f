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
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8
                || HexDigits.firstNonHex(text, 0, slash) >= 0
                || HexDigits.firstNonHex(text, slash + 1, text.length()) >= 0) {
            throw new IllegalArgumentException("malformed LSN '" + text + "': expected X/Y in hex, e.g. 0/16B5A50");
        }
        long hi = Long.parseLong(text, 0, slash, 16);
        long lo = Long.parseLong(text, slash + 1, text.length(), 16);
        return of(hi << 32 | lo);
    }

    /** Parses the 16-hex-digit form of {@link #toHex16()} (either case), as found in layer file names. */
    public static Lsn parseHex16(String text) {
        if (text == null || text.length() != 16) {
            throw new IllegalArgumentException("malformed hex LSN '" + text + "': expected 16 hex digits");
        }
        return of(HexDigits.parseUnsigned(text, 0, 16, "hex LSN"));
    }

    public boolean isValid() {
        return value != 0;
    }

    /**
     * This LSN moved by {@code bytes} (negative moves back); throws {@link IllegalArgumentException}
     * if the result would leave the unsigned 64-bit range.
     */
    public Lsn plus(long bytes) {
        long result = value + bytes;
        boolean wrapped = bytes >= 0 ? Long.compareUnsigned(result, value) < 0 : Long.compareUnsigned(result, value) > 0;
        if (wrapped) {
            throw new IllegalArgumentException("LSN " + this + " plus " + bytes + " leaves the 64-bit LSN range");
        }
        return of(result);
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

    /**
     * Number of the segment holding this LSN. {@code segmentSize} must be a power of two no smaller
     * than a WAL page (PostgreSQL allows 1 MiB to 1 GiB); anything else is an
     * {@link IllegalArgumentException}.
     */
    public long segmentNumber(int segmentSize) {
        return value >>> Integer.numberOfTrailingZeros(checkSegmentSize(segmentSize));
    }

    /** Offset of this LSN within its segment. */
    public int segmentOffset(int segmentSize) {
        return (int) (value & (checkSegmentSize(segmentSize) - 1));
    }

    /** Start LSN of segment {@code segmentNumber}; the inverse of {@link #segmentNumber(int)}. */
    public static Lsn ofSegment(long segmentNumber, int segmentSize) {
        int shift = Integer.numberOfTrailingZeros(checkSegmentSize(segmentSize));
        if ((segmentNumber >>> (64 - shift)) != 0) {
            throw new IllegalArgumentException("segment number " + Long.toUnsignedString(segmentNumber)
                    + " of " + segmentSize + "-byte segments is beyond the 64-bit LSN range");
        }
        return of(segmentNumber << shift);
    }

    private static int checkSegmentSize(int segmentSize) {
        if (segmentSize < WAL_PAGE_SIZE || Integer.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("WAL segment size " + segmentSize
                    + " is not a power of two of at least " + WAL_PAGE_SIZE + " bytes");
        }
        return segmentSize;
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
