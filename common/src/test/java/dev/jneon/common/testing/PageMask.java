package dev.jneon.common.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Masks what PostgreSQL changes on a page without WAL, the way its wal_consistency_checking masks
 * before comparing (facts from postgres-formats.md K and PostgreSQL's page masking): pd_lsn,
 * pd_checksum, the PD_HAS_FREE_LINES / PD_PAGE_FULL hints; on main-fork pages the unused space
 * between pd_lower and pd_upper, and on heap pages (no special space) the tuple hint bits of xmin/xmax; on btree pages
 * (16-byte special space that is not GiST's) BTP_HAS_GARBAGE, the vacuum cycle id and LP_DEAD
 * line pointer hints; on GiST pages F_HAS_GARBAGE and LP_DEAD hints, but, stricter than
 * PostgreSQL's gist_mask, neither the NSN nor F_FOLLOW_RIGHT: ingest must set those on the left
 * child of a split exactly as PostgreSQL does after logging it (postgres-formats K.2). Stateless.
 */
public final class PageMask {

    private static final int PAGE = 8192;
    private static final int HEADER = 24;
    private static final int HEAP_XMIN_BITS = 0x0300;
    private static final int HEAP_XMAX_BITS = 0x0C00;
    private static final int BTP_HAS_GARBAGE = 1 << 6;
    private static final int GIST_PAGE_ID = 0xFF81;
    private static final int GIST_HAS_GARBAGE = 0x10;

    private PageMask() {}

    /** Which kind of page the heuristics see, for reporting. */
    public static String kind(byte[] page) {
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int upper = b.getShort(14) & 0xFFFF;
        int special = b.getShort(16) & 0xFFFF;
        if (upper == 0) {
            return "new";
        }
        if (special == PAGE) {
            return "heap";
        }
        if (PAGE - special == 16) {
            return (b.getShort(PAGE - 2) & 0xFFFF) == GIST_PAGE_ID ? "gist" : "btree";
        }
        return "special" + (PAGE - special);
    }

    /**
     * A masked copy of {@code page}; the unused-space and tuple masks apply only to main-fork
     * pages (a visibility-map page keeps its map in what would be the unused space).
     */
    public static byte[] mask(byte[] original, boolean mainFork) {
        byte[] page = original.clone();
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int lower = b.getShort(12) & 0xFFFF;
        int upper = b.getShort(14) & 0xFFFF;
        int special = b.getShort(16) & 0xFFFF;
        if (upper == 0) {
            return page;
        }
        b.putLong(0, 0).putShort(8, (short) 0);
        b.putShort(10, (short) (b.getShort(10) & ~0x3));
        boolean sane = mainFork && lower >= HEADER && lower <= upper && upper <= special && special <= PAGE;
        if (!sane) {
            return page;
        }
        for (int i = lower; i < upper; i++) {
            page[i] = 0;
        }
        String kind = kind(original);
        for (int lp = HEADER; lp + 4 <= lower; lp += 4) {
            int item = b.getInt(lp);
            int off = item & 0x7FFF;
            int flags = (item >>> 15) & 3;
            if (kind.equals("heap") && flags == 1 && off + 24 <= PAGE) {
                int infomask = b.getShort(off + 20) & 0xFFFF;
                boolean frozen = (infomask & HEAP_XMIN_BITS) == HEAP_XMIN_BITS;
                infomask &= frozen ? ~HEAP_XMAX_BITS : ~(HEAP_XMIN_BITS | HEAP_XMAX_BITS);
                b.putShort(off + 20, (short) infomask);
            } else if ((kind.equals("btree") || kind.equals("gist")) && flags == 3) {
                b.putInt(lp, (item & ~(3 << 15)) | (1 << 15));
            }
        }
        if (kind.equals("gist")) {
            b.putShort(special + 12, (short) (b.getShort(special + 12) & ~GIST_HAS_GARBAGE));
        }
        if (kind.equals("btree")) {
            b.putShort(special + 12, (short) (b.getShort(special + 12) & ~BTP_HAS_GARBAGE));
            b.putShort(special + 14, (short) 0);
        }
        return page;
    }
}
