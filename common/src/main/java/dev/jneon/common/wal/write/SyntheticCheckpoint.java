package dev.jneon.common.wal.write;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.wal.WalFormat;
import java.time.Instant;
import java.util.List;

/**
 * The pg_wal content a basebackup at end-of-WAL X ships (DESIGN D3, postgres-formats G): one
 * XLOG_CHECKPOINT_SHUTDOWN record at C = normalize(X) whose redo is C, so that PostgreSQL 15 starts
 * without recovery and writes on right after it.
 *
 * <p>The record is 114 bytes: header (xl_tot_len 114, xl_xid 0, xl_prev = prev, xl_info 0x00,
 * xl_rmid 0), main-data header 0xFF 0x58, the 88-byte {@link CheckPoint}. It goes into a zero-filled
 * segment for seg(C) laid out by {@link WalSegmentWriter}: the segment's first page has its long
 * header, C's page has a header (with a continuation claim covering the bytes before C when C is
 * beyond the header), and when the record crosses a page the next page carries FIRST_IS_CONTRECORD
 * with the bytes still to come; crossing into the next segment yields a second file whose long
 * header carries the continuation. Nothing else belongs in pg_wal.
 *
 * <p>Immutable value holding the result; segment contents are handed over to the caller.
 *
 * @param checkpointLsn C, where the record starts (also its redo)
 * @param checkPoint the CheckPoint written into the record, to be copied into pg_control
 * @param endLsn PostgreSQL's EndRecPtr of the record: its last byte + 1, rounded up to 8
 * @param nextRecordLsn where the compute's first own record starts: {@code endLsn}, moved past the
 *     page header when {@code endLsn} is a page start
 * @param segments one file, or two when the record crosses into the next segment
 */
public record SyntheticCheckpoint(Lsn checkpointLsn, CheckPoint checkPoint, Lsn endLsn, Lsn nextRecordLsn,
        List<WalSegmentFile> segments) {

    /** xl_tot_len of every checkpoint record: 24 header + 2 main-data header + 88 CheckPoint. */
    public static final int RECORD_LENGTH = WalFormat.RECORD_HEADER_SIZE + 2 + CheckPoint.SIZE;
    /** xl_info of XLOG_CHECKPOINT_SHUTDOWN. */
    public static final int XLOG_CHECKPOINT_SHUTDOWN = 0x00;
    /** rmid of the XLOG resource manager. */
    public static final int RM_XLOG_ID = 0;
    /** FirstNormalTransactionId: PostgreSQL refuses a checkpoint whose nextXid is below it. */
    public static final int FIRST_NORMAL_XID = 3;

    public SyntheticCheckpoint {
        segments = List.copyOf(segments);
    }

    /**
     * C for end-of-WAL X: X itself inside a page, else past the header that starts X's page (40 bytes
     * on a segment's first page, 24 on others).
     */
    public static Lsn normalize(Lsn x, int segmentSize) {
        if (!x.isPageStart()) {
            return x;
        }
        return x.plus(WalFormat.pageHeaderSize(x.value(), segmentSize));
    }

    /**
     * Builds the record and its segment file(s).
     *
     * @param x end of the last complete record: valid and 8-aligned
     * @param prev start of that record, or {@link Lsn#INVALID} when unknown; must precede C
     * @param tracked the checkpoint state tracked from the WAL (next/oldest xid, oid, multixact);
     *     its redo, timelines, full-page-writes flag, time, commit-ts xids and oldestActiveXid are
     *     replaced by the values of a fresh shutdown checkpoint
     * @param systemId pg_control's system identifier
     * @param segmentSize WAL segment size (pg_control xlog_seg_size)
     * @param now the checkpoint's time (whole seconds are kept)
     */
    public static SyntheticCheckpoint build(Lsn x, Lsn prev, CheckPoint tracked, long systemId, int segmentSize,
            Instant now) {
        if (x == null || !x.isValid()) {
            throw new IllegalArgumentException("end of WAL X must be a valid LSN, got " + x);
        }
        if (!x.isAligned8()) {
            throw new IllegalArgumentException("end of WAL X " + x + " is not 8-aligned, so it is not a record boundary");
        }
        Lsn c = normalize(x, segmentSize);
        if (prev == null || !prev.isBefore(c)) {
            throw new IllegalArgumentException("prev " + prev + " (start of the last record) must precede the checkpoint LSN "
                    + c + " (X = " + x + ")");
        }
        if (Integer.compareUnsigned(tracked.nextXid(), FIRST_NORMAL_XID) < 0) {
            throw new IllegalArgumentException("nextXid " + Integer.toUnsignedString(tracked.nextXid())
                    + " is below FirstNormalTransactionId " + FIRST_NORMAL_XID + "; PostgreSQL would refuse this checkpoint");
        }
        CheckPoint cp = new CheckPoint(c.value(), WalFormat.TIMELINE, WalFormat.TIMELINE, true, tracked.nextFullXid(),
                tracked.nextOid(), tracked.nextMulti(), tracked.nextMultiOffset(), tracked.oldestXid(),
                tracked.oldestXidDb(), tracked.oldestMulti(), tracked.oldestMultiDb(), now.getEpochSecond(), 0, 0, 0);
        byte[] record = new MainDataRecord(0, prev, XLOG_CHECKPOINT_SHUTDOWN, RM_XLOG_ID, cp.encode()).encode();
        WalSegmentWriter writer = new WalSegmentWriter(systemId, segmentSize, c);
        Lsn start = writer.append(record);
        if (!start.equals(c)) {
            throw new IllegalStateException("checkpoint record landed at " + start + " instead of " + c);
        }
        return new SyntheticCheckpoint(c, cp, writer.endLsn(), writer.nextRecordLsn(), writer.finish());
    }
}
