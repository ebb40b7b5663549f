package dev.jneon.common.wal.record;

import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RelMap rmgr (7): UPDATE 0x00 = u32 database (0 for the shared map), u32 tablespace, i32 nbytes,
 * then the whole new pg_filenode.map (512 bytes in PostgreSQL 15).
 */
public sealed interface RelMapBody extends RecordBody {

    /** {@code map} is a read-only view into the record. */
    record Update(int dbId, int tsId, ByteBuffer map) implements RelMapBody {

        @Override
        public ByteBuffer map() {
            return map.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        if (r.rmgrInfo() != 0x00) {
            return RecordBody.unclassified(r);
        }
        MainData d = MainData.of(r, "RELMAP UPDATE");
        int db = d.i32();
        int ts = d.i32();
        int n = d.count(1);
        return new Update(db, ts, d.slice(n));
    }
}
