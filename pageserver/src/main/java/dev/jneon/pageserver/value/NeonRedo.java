package dev.jneon.pageserver.value;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.file.Clog;
import dev.jneon.common.pg.file.MultiXactMembers;
import dev.jneon.common.pg.file.MultiXactOffsets;
import dev.jneon.common.pg.file.PageChecksum;
import dev.jneon.common.pg.file.SlruPage;
import java.util.Arrays;

/**
 * Applies a {@link NeonWalRecord} to a page, the pageserver's own redo (spec C):
 * <ul>
 * <li>ClearVisibilityMapFlags: for each given heap block b, map byte {@code 24 + (b % 32672) / 4}
 *     loses {@code flags << (b % 4) * 2}; pd_lsn becomes the record LSN unless the page is new
 *     (pd_upper 0).
 * <li>ClogSetCommitted / ClogSetAborted: the 2-bit status of each xid becomes 01 / 10; a commit
 *     also cuts the page to 8192 bytes and appends the commit timestamp as 8 big-endian bytes
 *     (the trailer {@code find_lsn_for_timestamp} reads). An abort keeps an existing trailer.
 * <li>MultixactOffsetCreate: u32 LE at {@code (mid % 2048) * 4} := moff.
 * <li>MultixactMembersCreate: member {@code moff + i} written in PostgreSQL's 20-byte groups, for
 *     the members that fall on this key's page (page number = segment * 32 + block).
 * <li>TruncateVisibilityMap: the map (bytes from 24) is zeroed after {@code trunc_byte}, and
 *     {@code trunc_byte} keeps its low {@code trunc_offs} bits.
 * </ul>
 * A relation page whose checksum was set keeps a valid one (recomputed after the change).
 * Postgres records are refused: native redo is not part of the pageserver yet. Stateless.
 */
public final class NeonRedo {

    /** Page header size; the visibility map starts right after it. */
    public static final int PAGE_HEADER_SIZE = 24;
    /** Bytes of map per visibility-map page. */
    public static final int VM_MAP_SIZE = SlruPage.SIZE - PAGE_HEADER_SIZE;
    /** Heap blocks one visibility-map page covers (two bits each). */
    public static final int HEAP_BLOCKS_PER_VM_PAGE = VM_MAP_SIZE * 4;
    private static final int PD_UPPER_OFFSET = 14;

    private NeonRedo() {}

    /** The page after {@code record}, written at {@code lsn}, is applied to {@code page} of {@code key}; the input is not changed. */
    public static byte[] apply(Key key, byte[] page, NeonWalRecord record, Lsn lsn) {
        return switch (record) {
            case NeonWalRecord.Postgres p -> throw new UnsupportedOperationException(
                    "native redo of PostgreSQL WAL records is not supported (key " + key + " at " + lsn + ")");
            case NeonWalRecord.ClearVisibilityMapFlags c -> keepChecksum(key, page, clearVisibilityMapFlags(page, c, lsn));
            case NeonWalRecord.ClogSetCommitted c -> {
                byte[] out = setClog(key, page, c.xids(), Clog.XidStatus.COMMITTED);
                byte[] stamped = Arrays.copyOf(out, SlruPage.SIZE + 8);
                for (int i = 0; i < 8; i++) {
                    stamped[SlruPage.SIZE + i] = (byte) (c.timestamp() >>> (56 - 8 * i));
                }
                yield stamped;
            }
            case NeonWalRecord.ClogSetAborted c -> {
                byte[] out = setClog(key, page, c.xids(), Clog.XidStatus.ABORTED);
                if (page.length > SlruPage.SIZE) {
                    out = Arrays.copyOf(out, page.length);
                    System.arraycopy(page, SlruPage.SIZE, out, SlruPage.SIZE, page.length - SlruPage.SIZE);
                }
                yield out;
            }
            case NeonWalRecord.MultixactOffsetCreate m -> {
                byte[] out = Arrays.copyOf(page, SlruPage.SIZE);
                MultiXactOffsets.setOffset(out, m.mid(), m.moff());
                yield out;
            }
            case NeonWalRecord.MultixactMembersCreate m -> membersCreate(key, page, m);
            case NeonWalRecord.TruncateVisibilityMap t -> {
                byte[] out = page.clone();
                int at = PAGE_HEADER_SIZE + (int) t.truncByte();
                Arrays.fill(out, at + 1, SlruPage.SIZE, (byte) 0);
                out[at] &= (byte) ((1 << t.truncOffs()) - 1);
                yield keepChecksum(key, page, out);
            }
        };
    }

    private static byte[] clearVisibilityMapFlags(byte[] page, NeonWalRecord.ClearVisibilityMapFlags c, Lsn lsn) {
        byte[] out = page.clone();
        for (Integer blk : new Integer[] {c.newHeapBlkno(), c.oldHeapBlkno()}) {
            if (blk != null) {
                long b = Integer.toUnsignedLong(blk);
                int at = PAGE_HEADER_SIZE + (int) (b % HEAP_BLOCKS_PER_VM_PAGE) / 4;
                out[at] &= (byte) ~(c.flags() << (int) (b % 4) * 2);
            }
        }
        boolean isNew = out[PD_UPPER_OFFSET] == 0 && out[PD_UPPER_OFFSET + 1] == 0;
        if (!isNew) {
            setPageLsn(out, lsn);
        }
        return out;
    }

    /**
     * A relation page that carried a checksum gets it recomputed after our change: with data
     * checksums on, Postgres verifies every page it reads (the autoprewarm worker strictly), and a
     * stale one makes the page unreadable. Without data checksums pd_checksum stays 0 and so does it.
     */
    private static byte[] keepChecksum(Key key, byte[] before, byte[] after) {
        if (key.isRelBlock() && PageChecksum.stored(before) != 0 && !PageChecksum.isNew(after)) {
            PageChecksum.set(after, key.field6());
        }
        return after;
    }

    /** pd_lsn: xlogid then xrecoff, each a little-endian u32. */
    public static void setPageLsn(byte[] page, Lsn lsn) {
        long v = lsn.value();
        int hi = (int) (v >>> 32);
        int lo = (int) v;
        for (int i = 0; i < 4; i++) {
            page[i] = (byte) (hi >>> (8 * i));
            page[4 + i] = (byte) (lo >>> (8 * i));
        }
    }

    private static byte[] setClog(Key key, byte[] page, java.util.List<Integer> xids, Clog.XidStatus status) {
        byte[] out = Arrays.copyOf(page, SlruPage.SIZE);
        long pageNo = slruPageNumber(key);
        for (int xid : xids) {
            if (Clog.pageOf(xid) != pageNo) {
                throw new IllegalArgumentException("xid " + Integer.toUnsignedString(xid) + " is not on CLOG page "
                        + pageNo + " of key " + key);
            }
            Clog.setStatus(out, xid, status);
        }
        return out;
    }

    private static byte[] membersCreate(Key key, byte[] page, NeonWalRecord.MultixactMembersCreate m) {
        byte[] out = Arrays.copyOf(page, SlruPage.SIZE);
        long pageNo = slruPageNumber(key);
        for (int i = 0; i < m.members().size(); i++) {
            int offset = m.moff() + i;
            if (MultiXactMembers.pageOf(offset) == pageNo) {
                NeonWalRecord.Member member = m.members().get(i);
                MultiXactMembers.setMember(out, offset,
                        new MultiXactMembers.Member(member.xid(), MultiXactMembers.Status.of(member.status())));
            }
        }
        return out;
    }

    private static long slruPageNumber(Key key) {
        if (!key.isSlruBlock()) {
            throw new IllegalArgumentException("key " + key + " is not an SLRU page");
        }
        return Integer.toUnsignedLong(key.field4()) * SlruPage.PAGES_PER_SEGMENT + Integer.toUnsignedLong(key.field6());
    }
}
