package dev.jneon.common.pg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * PostgreSQL 15's {@code CheckPoint} struct: the main data of XLOG_CHECKPOINT_* records and the
 * {@code checkPointCopy} inside pg_control. Layout (88 bytes, little-endian):
 * u64 redo @0; u32 ThisTimeLineID @8; u32 PrevTimeLineID @12; u8 fullPageWrites @16;
 * u64 nextXid @24 (epoch&lt;&lt;32 | xid); u32 nextOid @32; u32 nextMulti @36; u32 nextMultiOffset @40;
 * u32 oldestXid @44; u32 oldestXidDB @48; u32 oldestMulti @52; u32 oldestMultiDB @56;
 * i64 time @64 (seconds since 1970); u32 oldestCommitTsXid @72; u32 newestCommitTsXid @76;
 * u32 oldestActiveXid @80; pad to 88. Unsigned 32-bit fields are held in ints. Immutable.
 */
public record CheckPoint(
        long redo,
        int thisTimeLineId,
        int prevTimeLineId,
        boolean fullPageWrites,
        long nextFullXid,
        int nextOid,
        int nextMulti,
        int nextMultiOffset,
        int oldestXid,
        int oldestXidDb,
        int oldestMulti,
        int oldestMultiDb,
        long time,
        int oldestCommitTsXid,
        int newestCommitTsXid,
        int oldestActiveXid) {

    public static final int SIZE = 88;

    /** Reads a CheckPoint at {@code offset} of {@code bytes}; needs {@link #SIZE} bytes there. */
    public static CheckPoint decode(byte[] bytes, int offset) {
        if (offset < 0 || bytes.length - offset < SIZE) {
            throw new IllegalArgumentException("CheckPoint needs " + SIZE + " bytes at offset " + offset
                    + ", have " + Math.max(0, bytes.length - offset));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        return new CheckPoint(b.getLong(0), b.getInt(8), b.getInt(12), b.get(16) != 0, b.getLong(24), b.getInt(32),
                b.getInt(36), b.getInt(40), b.getInt(44), b.getInt(48), b.getInt(52), b.getInt(56), b.getLong(64),
                b.getInt(72), b.getInt(76), b.getInt(80));
    }

    /** The 88-byte encoding, padding zeroed. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, redo).putInt(8, thisTimeLineId).putInt(12, prevTimeLineId).put(16, (byte) (fullPageWrites ? 1 : 0))
                .putLong(24, nextFullXid).putInt(32, nextOid).putInt(36, nextMulti).putInt(40, nextMultiOffset)
                .putInt(44, oldestXid).putInt(48, oldestXidDb).putInt(52, oldestMulti).putInt(56, oldestMultiDb)
                .putLong(64, time).putInt(72, oldestCommitTsXid).putInt(76, newestCommitTsXid).putInt(80, oldestActiveXid);
        return b.array();
    }

    /** The 32-bit xid part of {@link #nextFullXid()}. */
    public int nextXid() {
        return (int) nextFullXid;
    }

    public CheckPoint withRedo(long newRedo) {
        return new CheckPoint(newRedo, thisTimeLineId, prevTimeLineId, fullPageWrites, nextFullXid, nextOid, nextMulti,
                nextMultiOffset, oldestXid, oldestXidDb, oldestMulti, oldestMultiDb, time, oldestCommitTsXid,
                newestCommitTsXid, oldestActiveXid);
    }
}
