package dev.jneon.common.wal.record;

import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.util.List;

/**
 * Database rmgr (4) records of PostgreSQL 15. CREATE_FILE_COPY 0x00: u32 db, tablespace, source
 * db, source tablespace (16 bytes). CREATE_WAL_LOG 0x10: u32 db, tablespace (8 bytes). DROP 0x20:
 * u32 db, i32 n, n x u32 tablespace.
 */
public sealed interface DbaseBody extends RecordBody {

    record CreateFileCopy(int dbId, int tablespaceId, int srcDbId, int srcTablespaceId) implements DbaseBody {}

    record CreateWalLog(int dbId, int tablespaceId) implements DbaseBody {}

    record Drop(int dbId, List<Integer> tablespaceIds) implements DbaseBody {}

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        return switch (r.rmgrInfo()) {
            case 0x00 -> {
                MainData d = MainData.of(r, "DBASE CREATE_FILE_COPY").atLeast(16);
                yield new CreateFileCopy(d.i32(), d.i32(), d.i32(), d.i32());
            }
            case 0x10 -> {
                MainData d = MainData.of(r, "DBASE CREATE_WAL_LOG").atLeast(8);
                yield new CreateWalLog(d.i32(), d.i32());
            }
            case 0x20 -> {
                MainData d = MainData.of(r, "DBASE DROP");
                int db = d.i32();
                yield new Drop(db, d.u32s(d.count(4)));
            }
            default -> RecordBody.unclassified(r);
        };
    }
}
