package dev.jneon.common.wal.record;

import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Transaction rmgr (1) records of PostgreSQL 15; the opcode is {@code info & 0x70}, 0x80 means an
 * xinfo word follows the time. COMMIT 0x00 / COMMIT_PREPARED 0x30 and ABORT 0x20 /
 * ABORT_PREPARED 0x40: see {@link XactDetails}. PREPARE 0x10: the whole two-phase state file
 * without its CRC, starting with the 72-byte header (u32 magic 0x57F94534, u32 total_len, u32 xid,
 * u32 database, i64 prepared_at, u32 owner, i32 nsubxacts, ncommitrels, nabortrels, ncommitstats,
 * nabortstats, ninvalmsgs, u8 initfileinval, u16 gidlen @54, u64 origin lsn, i64 origin time),
 * then the GID, sub-xids, commit rels and abort rels, each padded to 8 bytes. ASSIGNMENT 0x50:
 * u32 top-level xid, i32 n, n x u32 sub-xid. INVALIDATIONS 0x60 is left unclassified.
 */
public sealed interface XactBody extends RecordBody {

    int XINFO_HAS_DBINFO = 0x01;
    int XINFO_HAS_SUBXACTS = 0x02;
    int XINFO_HAS_RELFILENODES = 0x04;
    int XINFO_HAS_INVALS = 0x08;
    int XINFO_HAS_TWOPHASE = 0x10;
    int XINFO_HAS_ORIGIN = 0x20;
    int XINFO_HAS_AE_LOCKS = 0x40;
    int XINFO_HAS_GID = 0x80;
    int XINFO_HAS_DROPPED_STATS = 0x100;
    int XINFO_FORCE_SYNC_COMMIT = 1 << 31;
    int TWOPHASE_MAGIC = 0x57F94534;

    /** COMMIT, or COMMIT_PREPARED when {@code prepared}. */
    record Commit(boolean prepared, XactDetails details) implements XactBody {}

    /** ABORT, or ABORT_PREPARED when {@code prepared}. */
    record Abort(boolean prepared, XactDetails details) implements XactBody {}

    /** PREPARE TRANSACTION; {@code state} is the whole state blob (a read-only view) to keep by xid. */
    record Prepare(int xid, int database, long preparedAt, String gid, List<Integer> subxacts,
            List<RelFileNode> commitRels, List<RelFileNode> abortRels, ByteBuffer state) implements XactBody {

        @Override
        public ByteBuffer state() {
            return state.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    record Assignment(int topXid, List<Integer> subxacts) implements XactBody {}

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        int op = r.info() & 0x70;
        boolean hasInfo = (r.info() & 0x80) != 0;
        return switch (op) {
            case 0x00, 0x30 -> new Commit(op == 0x30, XactDetails.parse(MainData.of(r, "COMMIT"), hasInfo, true));
            case 0x20, 0x40 -> new Abort(op == 0x40, XactDetails.parse(MainData.of(r, "ABORT"), hasInfo, false));
            case 0x10 -> parsePrepare(MainData.of(r, "PREPARE"));
            case 0x50 -> {
                MainData d = MainData.of(r, "ASSIGNMENT");
                int top = d.i32();
                yield new Assignment(top, d.u32s(d.count(4)));
            }
            default -> RecordBody.unclassified(r);
        };
    }

    private static Prepare parsePrepare(MainData d) throws WalDecodeException {
        int length = d.remaining();
        ByteBuffer state = d.slice(length);
        d.position(0);
        d.atLeast(72);
        if (d.i32() != TWOPHASE_MAGIC) {
            throw d.bad("bad two-phase magic");
        }
        long totalLen = d.i32() & 0xFFFFFFFFL;
        if (totalLen != length + 4L) {
            throw d.bad("total_len " + totalLen + " for " + length + " bytes of state");
        }
        int xid = d.i32();
        int database = d.i32();
        long preparedAt = d.i64();
        d.skip(4);
        int nsub = d.i32();
        int ncommit = d.i32();
        int nabort = d.i32();
        d.skip(12);
        d.skip(2);
        int gidLen = d.u16();
        d.skip(16);
        int gidStart = d.position();
        String gid = d.cString(Math.max(0, gidLen - 1));
        d.position(gidStart + align8(gidLen));
        if (nsub < 0 || ncommit < 0 || nabort < 0) {
            throw d.bad("negative counts");
        }
        List<Integer> subxacts = d.u32s(nsub);
        d.skip(align8(nsub * 4) - nsub * 4);
        List<RelFileNode> commitRels = d.relFileNodes(ncommit);
        d.skip(align8(ncommit * RelFileNode.SIZE) - ncommit * RelFileNode.SIZE);
        List<RelFileNode> abortRels = d.relFileNodes(nabort);
        return new Prepare(xid, database, preparedAt, gid, subxacts, commitRels, abortRels, state);
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    /**
     * The parsed body of a commit or abort, in record order: i64 time (µs since 2000-01-01), u32
     * xinfo if info has 0x80, then per xinfo bit: DBINFO u32 db, u32 tablespace; SUBXACTS i32 n +
     * n xids; RELFILENODES i32 n + n x 12 bytes; DROPPED_STATS i32 n + n x (i32 kind, u32 db, u32
     * object); INVALS (commit only) i32 n + n x 16 bytes; TWOPHASE u32 xid, then with HAS_GID a
     * NUL-terminated GID; ORIGIN u64 lsn, i64 time. {@code invalidations} is a read-only view.
     */
    record XactDetails(long xactTime, int xinfo, int dbId, int tsId, List<Integer> subxacts, List<RelFileNode> rels,
            List<DroppedStat> droppedStats, int invalidationCount, ByteBuffer invalidations, int twophaseXid,
            String gid, long originLsn, long originTime) {

        public static final int INVALIDATION_SIZE = 16;
        private static final int GIDSIZE = 200;

        @Override
        public ByteBuffer invalidations() {
            return invalidations.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        /** The transaction this completes: the prepared xid for 2PC, else the record's xid. */
        public int xid(WalRecord record) {
            return (xinfo & XINFO_HAS_TWOPHASE) != 0 ? twophaseXid : record.xid();
        }

        static XactDetails parse(MainData d, boolean hasInfo, boolean commit) throws WalDecodeException {
            long time = d.i64();
            int xinfo = hasInfo ? d.i32() : 0;
            int db = 0;
            int ts = 0;
            if ((xinfo & XINFO_HAS_DBINFO) != 0) {
                db = d.i32();
                ts = d.i32();
            }
            List<Integer> subxacts = (xinfo & XINFO_HAS_SUBXACTS) != 0 ? d.u32s(d.count(4)) : List.of();
            List<RelFileNode> rels = (xinfo & XINFO_HAS_RELFILENODES) != 0
                    ? d.relFileNodes(d.count(RelFileNode.SIZE)) : List.of();
            List<DroppedStat> stats = List.of();
            if ((xinfo & XINFO_HAS_DROPPED_STATS) != 0) {
                int n = d.count(12);
                List<DroppedStat> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(new DroppedStat(d.i32(), d.i32(), d.i32()));
                }
                stats = List.copyOf(list);
            }
            int ninval = 0;
            ByteBuffer invals = ByteBuffer.allocate(0);
            if (commit && (xinfo & XINFO_HAS_INVALS) != 0) {
                ninval = d.count(INVALIDATION_SIZE);
                invals = d.slice(ninval * INVALIDATION_SIZE);
            }
            int twophaseXid = 0;
            String gid = null;
            if ((xinfo & XINFO_HAS_TWOPHASE) != 0) {
                twophaseXid = d.i32();
                if ((xinfo & XINFO_HAS_GID) != 0) {
                    gid = d.cString(GIDSIZE - 1);
                }
            }
            long originLsn = 0;
            long originTime = 0;
            if ((xinfo & XINFO_HAS_ORIGIN) != 0) {
                originLsn = d.i64();
                originTime = d.i64();
            }
            return new XactDetails(time, xinfo, db, ts, subxacts, rels, stats, ninval, invals, twophaseXid, gid,
                    originLsn, originTime);
        }
    }

    /** A statistics entry dropped with the transaction: kind, database OID, object OID. */
    record DroppedStat(int kind, int dbOid, int objOid) {}
}
