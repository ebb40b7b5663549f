package dev.jneon.common.wal.record;

import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;

/**
 * XLOG rmgr (0) records. Main data: CHECKPOINT_SHUTDOWN 0x00 / CHECKPOINT_ONLINE 0x10 the 88-byte
 * {@link CheckPoint}; NEXTOID 0x30 u32; SWITCH 0x40 nothing; PARAMETER_CHANGE 0x60 six i32
 * (max_connections, max_worker_processes, max_wal_senders, max_prepared_xacts,
 * max_locks_per_xact, wal_level) then u8 wal_log_hints, u8 track_commit_timestamp;
 * END_OF_RECOVERY 0x90 i64 end time (µs since 2000), u32 this TLI, u32 previous TLI;
 * FPI_FOR_HINT 0xA0 and FPI 0xB0 nothing (the images are block references).
 */
public sealed interface XlogBody extends RecordBody {

    record Checkpoint(boolean shutdown, CheckPoint checkPoint) implements XlogBody {}

    record NextOid(int nextOid) implements XlogBody {}

    record Switch() implements XlogBody {}

    /** XLOG FPI ({@code forHint} false) or FPI_FOR_HINT: the block images are the whole content. */
    record FullPageImages(boolean forHint) implements XlogBody {}

    record ParameterChange(int maxConnections, int maxWorkerProcesses, int maxWalSenders, int maxPreparedXacts,
            int maxLocksPerXact, int walLevel, boolean walLogHints, boolean trackCommitTimestamp) implements XlogBody {}

    record EndOfRecovery(long endTime, int thisTimeLineId, int prevTimeLineId) implements XlogBody {}

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        return switch (r.rmgrInfo()) {
            case 0x00, 0x10 -> {
                MainData d = MainData.of(r, "checkpoint").exactly(CheckPoint.SIZE);
                byte[] bytes = new byte[CheckPoint.SIZE];
                d.slice(CheckPoint.SIZE).get(bytes);
                yield new Checkpoint(r.rmgrInfo() == 0x00, CheckPoint.decode(bytes, 0));
            }
            case 0x30 -> new NextOid(MainData.of(r, "NEXTOID").exactly(4).i32());
            case 0x40 -> new Switch();
            case 0xA0 -> new FullPageImages(true);
            case 0xB0 -> new FullPageImages(false);
            case 0x60 -> {
                MainData d = MainData.of(r, "PARAMETER_CHANGE").atLeast(26);
                yield new ParameterChange(d.i32(), d.i32(), d.i32(), d.i32(), d.i32(), d.i32(), d.u8() != 0,
                        d.u8() != 0);
            }
            case 0x90 -> {
                MainData d = MainData.of(r, "END_OF_RECOVERY").atLeast(16);
                yield new EndOfRecovery(d.i64(), d.i32(), d.i32());
            }
            default -> RecordBody.unclassified(r);
        };
    }
}
