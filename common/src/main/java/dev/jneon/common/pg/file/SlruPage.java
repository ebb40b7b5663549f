package dev.jneon.common.pg.file;

/**
 * Page and segment numbering shared by PostgreSQL's SLRU files (pg_xact, pg_multixact/offsets,
 * pg_multixact/members, ...). Pages are 8 KiB with no header and no checksum; 32 pages make a
 * segment file named {@code %04X} of the segment number (more digits once it needs them, e.g.
 * {@code 14078}); page p lives in segment p / 32 at byte offset (p % 32) · 8192. A segment may be
 * shorter than 32 pages but must hold every page that is read. Page numbers are non-negative
 * (PostgreSQL 15 keeps them in an int). Stateless.
 */
public final class SlruPage {

    public static final int SIZE = 8192;
    public static final int PAGES_PER_SEGMENT = 32;

    private SlruPage() {}

    public static long segmentOf(long pageNumber) {
        checkPage(pageNumber);
        return pageNumber / PAGES_PER_SEGMENT;
    }

    /** Byte offset of the page inside its segment file. */
    public static int offsetInSegment(long pageNumber) {
        checkPage(pageNumber);
        return (int) (pageNumber % PAGES_PER_SEGMENT) * SIZE;
    }

    public static String segmentFileName(long segmentNumber) {
        if (segmentNumber < 0) {
            throw new IllegalArgumentException("SLRU segment number must not be negative, got " + segmentNumber);
        }
        return String.format("%04X", segmentNumber);
    }

    /** Parses a segment file name; rejects anything but 4 to 6 uppercase hex digits. */
    public static long parseSegmentFileName(String name) {
        if (!name.matches("[0-9A-F]{4,6}")) {
            throw new IllegalArgumentException("not an SLRU segment file name: '" + name + "'");
        }
        return Long.parseLong(name, 16);
    }

    static void checkPage(long pageNumber) {
        if (pageNumber < 0) {
            throw new IllegalArgumentException("SLRU page number must not be negative, got " + pageNumber);
        }
    }

    static void checkPageBytes(byte[] page) {
        if (page.length != SIZE) {
            throw new IllegalArgumentException("an SLRU page is " + SIZE + " bytes, got " + page.length);
        }
    }
}
