package dev.jneon.common.wal.record;

import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;

/**
 * Storage (SMGR, rmgr 2) records. CREATE 0x10: RelFileNode (12 bytes), i32 fork (16 bytes).
 * TRUNCATE 0x20: u32 new main-fork length in blocks, RelFileNode, i32 flags (1 heap, 2 VM, 4 FSM;
 * 20 bytes).
 */
public sealed interface SmgrBody extends RecordBody {

    int TRUNCATE_HEAP = 1;
    int TRUNCATE_VM = 2;
    int TRUNCATE_FSM = 4;

    record Create(RelTag rel) implements SmgrBody {}

    record Truncate(int blockCount, RelFileNode rel, int flags) implements SmgrBody {}

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        return switch (r.rmgrInfo()) {
            case 0x10 -> {
                MainData d = MainData.of(r, "SMGR CREATE").atLeast(16);
                int spc = d.i32();
                int db = d.i32();
                int rel = d.i32();
                int fork = d.i32();
                if (fork < 0 || fork > 3) {
                    throw d.bad("invalid fork number " + fork);
                }
                yield new Create(new RelTag(spc, db, rel, ForkNumber.of(fork)));
            }
            case 0x20 -> {
                MainData d = MainData.of(r, "SMGR TRUNCATE").atLeast(20);
                int blocks = d.i32();
                RelFileNode rel = d.relFileNodes(1).getFirst();
                yield new Truncate(blocks, rel, d.i32());
            }
            default -> RecordBody.unclassified(r);
        };
    }
}
