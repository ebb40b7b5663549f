package dev.jneon.common.pg.file;

/**
 * The commit log ({@code pg_xact}), an SLRU (see {@link SlruPage}) holding two status bits per
 * transaction id: 32768 xids per page, so xid x is on page x / 32768, in byte (x % 32768) / 4 at bit
 * shift (x % 4) · 2. Xids are u32 held in ints. Stateless; the page arrays belong to the caller.
 */
public final class Clog {

    public static final int XIDS_PER_PAGE = SlruPage.SIZE * 4;

    /** The two-bit status of a transaction. */
    public enum XidStatus {
        IN_PROGRESS,
        COMMITTED,
        ABORTED,
        SUB_COMMITTED;

        static XidStatus of(int bits) {
            return values()[bits];
        }
    }

    private Clog() {}

    public static long pageOf(int xid) {
        return Integer.toUnsignedLong(xid) / XIDS_PER_PAGE;
    }

    public static XidStatus status(byte[] page, int xid) {
        SlruPage.checkPageBytes(page);
        return XidStatus.of((page[byteOf(xid)] >>> shiftOf(xid)) & 0x3);
    }

    public static void setStatus(byte[] page, int xid, XidStatus status) {
        SlruPage.checkPageBytes(page);
        int i = byteOf(xid);
        int shift = shiftOf(xid);
        page[i] = (byte) ((page[i] & ~(0x3 << shift)) | (status.ordinal() << shift));
    }

    private static int byteOf(int xid) {
        return (int) (Integer.toUnsignedLong(xid) % XIDS_PER_PAGE) / 4;
    }

    private static int shiftOf(int xid) {
        return (int) (Integer.toUnsignedLong(xid) % 4) * 2;
    }
}
