package dev.jneon.common.wal;

import dev.jneon.common.id.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One decoded WAL record: where it starts ({@code lsn}) and where the next one may start
 * ({@code endLsn}: the byte after it rounded up to 8, or the next segment after XLOG_SWITCH), the
 * XLogRecord header fields (xl_tot_len, xl_xid, xl_prev, xl_info, xl_rmid; ids and xids unsigned
 * in ints), the block references in id order, the main data, the replication origin (0 = none)
 * and the top-level xid of a subtransaction's first record (0 = none). {@code bytes} is the whole
 * record as written (header included, page headers removed). Immutable; the buffers are
 * read-only views into one array per record, returned as fresh little-endian duplicates.
 */
public record WalRecord(
        Lsn lsn,
        Lsn endLsn,
        int totalLength,
        int xid,
        Lsn prev,
        int info,
        int rmid,
        List<BlockReference> blocks,
        ByteBuffer mainData,
        int origin,
        int toplevelXid,
        ByteBuffer bytes) {

    public WalRecord {
        blocks = List.copyOf(blocks);
    }

    @Override
    public ByteBuffer mainData() {
        return mainData.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public ByteBuffer bytes() {
        return bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public ResourceManager rmgr() {
        return ResourceManager.of(rmid);
    }

    /** The rmgr-owned high nibble of xl_info. */
    public int rmgrInfo() {
        return info & WalFormat.XLR_RMGR_INFO_MASK;
    }

    public int mainDataLength() {
        return mainData.remaining();
    }

    /** Sum of the stored image lengths (pg_waldump's fpi_len). */
    public int imageBytes() {
        int sum = 0;
        for (BlockReference b : blocks) {
            if (b.image() != null) {
                sum += b.image().storedLength();
            }
        }
        return sum;
    }

    /** The block reference with this id, or null. */
    public BlockReference block(int id) {
        for (BlockReference b : blocks) {
            if (b.id() == id) {
                return b;
            }
        }
        return null;
    }

    public boolean isXlogSwitch() {
        return rmid == ResourceManager.XLOG.id() && rmgrInfo() == 0x40;
    }

    /** pg_waldump's record type name. */
    public String identify() {
        return rmgr().identify(info);
    }
}
