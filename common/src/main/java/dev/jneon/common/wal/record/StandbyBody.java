package dev.jneon.common.wal.record;

import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.util.List;

/**
 * Standby rmgr (8): RUNNING_XACTS 0x10 = i32 xcnt @0, i32 subxcnt @4, u8 subxid_overflow @8,
 * u32 nextXid @12, u32 oldestRunningXid @16, u32 latestCompletedXid @20, then xcnt top-level
 * xids and subxcnt sub-xids @24. LOCK and INVALIDATIONS are left unclassified.
 */
public sealed interface StandbyBody extends RecordBody {

    record RunningXacts(int nextXid, int oldestRunningXid, int latestCompletedXid, boolean subxidOverflow,
            List<Integer> xids, List<Integer> subxids) implements StandbyBody {}

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        if (r.rmgrInfo() != 0x10) {
            return RecordBody.unclassified(r);
        }
        MainData d = MainData.of(r, "RUNNING_XACTS").atLeast(24);
        int xcnt = d.i32();
        int subxcnt = d.i32();
        boolean overflow = d.u8() != 0;
        d.skip(3);
        int nextXid = d.i32();
        int oldestRunning = d.i32();
        int latestCompleted = d.i32();
        if (xcnt < 0 || subxcnt < 0) {
            throw d.bad("negative xid count");
        }
        return new RunningXacts(nextXid, oldestRunning, latestCompleted, overflow, d.u32s(xcnt), d.u32s(subxcnt));
    }
}
