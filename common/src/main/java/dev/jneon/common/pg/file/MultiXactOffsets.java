package dev.jneon.common.pg.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code pg_multixact/offsets}, an SLRU (see {@link SlruPage}) holding for each multixact id the
 * offset of its first member as a little-endian u32: 2048 per page, multixact m at page m / 2048,
 * byte (m % 2048) · 4. The members of m are [offsets[m], offsets[next(m)]), next(m) = m + 1 skipping
 * 0; member offsets start at 1, so 0 means "not set". Ids and offsets are u32 held in ints.
 * Stateless; the page arrays belong to the caller.
 */
public final class MultiXactOffsets {

    public static final int PER_PAGE = SlruPage.SIZE / 4;

    private MultiXactOffsets() {}

    public static long pageOf(int multiXactId) {
        return Integer.toUnsignedLong(multiXactId) / PER_PAGE;
    }

    public static int offset(byte[] page, int multiXactId) {
        SlruPage.checkPageBytes(page);
        return ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getInt(byteOf(multiXactId));
    }

    public static void setOffset(byte[] page, int multiXactId, int memberOffset) {
        SlruPage.checkPageBytes(page);
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putInt(byteOf(multiXactId), memberOffset);
    }

    /** The multixact after {@code multiXactId}, wrapping past 2^32 − 1 to 1 (0 is invalid). */
    public static int next(int multiXactId) {
        int n = multiXactId + 1;
        return n == 0 ? 1 : n;
    }

    private static int byteOf(int multiXactId) {
        return (int) (Integer.toUnsignedLong(multiXactId) % PER_PAGE) * 4;
    }
}
