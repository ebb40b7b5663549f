package dev.jneon.pageserver.ingest;

import dev.jneon.common.wal.BlockReference;
import dev.jneon.common.wal.ResourceManager;
import dev.jneon.common.wal.WalRecord;
import dev.jneon.pageserver.value.NeonWalRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The visibility-map bits a heap record clears without referencing the VM page (postgres-formats
 * K): PostgreSQL clears them while modifying the heap page and logs only the heap block, so the
 * pageserver must add a {@link NeonWalRecord.ClearVisibilityMapFlags} on the VM page itself.
 * Main data facts (PG15, little-endian): HEAP INSERT u16 offnum, u8 flags (bit 0 all-visible
 * cleared); HEAP DELETE u32 xmax, u16 offnum, u8 infobits, u8 flags (bit 0); HEAP UPDATE and
 * HOT_UPDATE u32 old xmax, u16 old offnum, u8 infobits, u8 flags (bit 0 old page, bit 1 new
 * page; new page = block 0, old page = block 1 or else block 0); HEAP LOCK and HEAP2
 * LOCK_UPDATED u32 xid, u16 offnum, u8 infobits, u8 flags (bit 0 all-frozen cleared); HEAP2
 * MULTI_INSERT u8 flags (bit 0). Stateless.
 */
final class VisibilityMapClears {

    /** One clear of {@code flags} (1 all-visible, 2 all-frozen) for the heap block of {@code heapBlock}. */
    record Clear(BlockReference heapBlock, int flags) {}

    static final int ALL_VISIBLE_AND_FROZEN = 3;
    static final int ALL_FROZEN = 2;

    private VisibilityMapClears() {}

    /** The clears {@code record} implies, empty for records that clear nothing. */
    static List<Clear> of(WalRecord record) {
        ByteBuffer d = record.mainData();
        int op = record.info() & 0x70;
        List<Clear> clears = new ArrayList<>();
        if (record.rmgr() == ResourceManager.HEAP) {
            switch (op) {
                case 0x00 -> { // INSERT
                    if (d.remaining() >= 3 && (d.get(2) & 1) != 0) {
                        clears.add(new Clear(record.block(0), ALL_VISIBLE_AND_FROZEN));
                    }
                }
                case 0x10 -> { // DELETE
                    if (d.remaining() >= 8 && (d.get(7) & 1) != 0) {
                        clears.add(new Clear(record.block(0), ALL_VISIBLE_AND_FROZEN));
                    }
                }
                case 0x20, 0x40 -> { // UPDATE, HOT_UPDATE
                    if (d.remaining() >= 8) {
                        BlockReference newBlock = record.block(0);
                        BlockReference oldBlock = record.block(1) != null ? record.block(1) : newBlock;
                        if ((d.get(7) & 1) != 0) {
                            clears.add(new Clear(oldBlock, ALL_VISIBLE_AND_FROZEN));
                        }
                        if ((d.get(7) & 2) != 0) {
                            clears.add(new Clear(newBlock, ALL_VISIBLE_AND_FROZEN));
                        }
                    }
                }
                case 0x60 -> { // LOCK
                    if (d.remaining() >= 8 && (d.get(7) & 1) != 0) {
                        clears.add(new Clear(record.block(0), ALL_FROZEN));
                    }
                }
                default -> { }
            }
        } else if (record.rmgr() == ResourceManager.HEAP2) {
            if (op == 0x50 && d.remaining() >= 1 && (d.get(0) & 1) != 0) { // MULTI_INSERT
                clears.add(new Clear(record.block(0), ALL_VISIBLE_AND_FROZEN));
            } else if (op == 0x60 && d.remaining() >= 8 && (d.get(7) & 1) != 0) { // LOCK_UPDATED
                clears.add(new Clear(record.block(0), ALL_FROZEN));
            }
        }
        clears.removeIf(c -> c.heapBlock() == null);
        return clears;
    }
}
