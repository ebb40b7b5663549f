package dev.jneon.common.wal.record;

import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;

/**
 * CLOG rmgr (3) records. ZEROPAGE 0x00: i32 page number. TRUNCATE 0x10: i32 cutoff page, u32
 * oldestXact, u32 oldestXactDb (12 bytes).
 */
public sealed interface ClogBody extends RecordBody {

    record ZeroPage(int pageNo) implements ClogBody {}

    record Truncate(int pageNo, int oldestXact, int oldestXactDb) implements ClogBody {}

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        return switch (r.rmgrInfo()) {
            case 0x00 -> new ZeroPage(MainData.of(r, "CLOG ZEROPAGE").atLeast(4).i32());
            case 0x10 -> {
                MainData d = MainData.of(r, "CLOG TRUNCATE").atLeast(12);
                yield new Truncate(d.i32(), d.i32(), d.i32());
            }
            default -> RecordBody.unclassified(r);
        };
    }
}
