package dev.jneon.safekeeper.wal;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.common.wal.write.WalPageHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Follows a stream of raw WAL bytes far enough to know where records end: it steps over page
 * headers (long on a segment's first page; {@code xlp_pageaddr} and, inside a continued record,
 * {@code xlp_rem_len} checked), reads each record's 24-byte header (possibly split across pages),
 * bounds-checks {@code xl_tot_len}, checks the record's CRC-32C (body, then the header's first 20
 * bytes) and skips the MAXALIGN padding; after an XLOG_SWITCH record the rest of the segment is
 * skipped and the record ends at the next segment start. {@link #lastRecordEnd()} is the aligned end
 * of the last complete record. Layout: {@link WalFormat}.
 *
 * <p>This is deliberately minimal and should later delegate to the shared streaming decoder in
 * common ({@code dev.jneon.common.wal}) once that is merged.
 *
 * <p>Not thread-safe; owned by the timeline's WAL writer. After an {@link InvalidWalException} the
 * tracker is unusable until {@link #reset}.
 */
public final class RecordBoundaryTracker {

    /** XLogRecordMaxSize of PostgreSQL 15 (1020 MiB). */
    static final long MAX_RECORD_SIZE = 1020L * 1024 * 1024;
    private static final int RM_XLOG_ID = 0;
    private static final int XLOG_SWITCH = 0x40;

    private final int segmentSize;
    private final byte[] pageHeader = new byte[WalFormat.LONG_PAGE_HEADER_SIZE];
    private final byte[] recordHeader = new byte[WalFormat.RECORD_HEADER_SIZE];
    private final CRC32C crc = new CRC32C();
    private long pos;
    private long lastRecordEnd;
    private long skipUntil;
    private int pageHeaderFill;
    private int recordHeaderFill;
    private long recordLength;
    private long recordRead;
    private boolean inRecord;

    public RecordBoundaryTracker(int segmentSize, Lsn recordBoundary) {
        this.segmentSize = segmentSize;
        reset(recordBoundary);
    }

    /** Restarts at {@code recordBoundary}, the start of a record or of a page. */
    public void reset(Lsn recordBoundary) {
        pos = recordBoundary.value();
        lastRecordEnd = pos;
        skipUntil = pos;
        pageHeaderFill = 0;
        recordHeaderFill = 0;
        inRecord = false;
    }

    public Lsn position() {
        return Lsn.of(pos);
    }

    /** Aligned end of the last complete record seen (the start position if none). */
    public Lsn lastRecordEnd() {
        return Lsn.of(lastRecordEnd);
    }

    /** Consumes {@code data[off, off+len)}, which continue the stream at {@link #position()}. */
    public void feed(byte[] data, int off, int len) throws InvalidWalException {
        int end = off + len;
        while (off < end) {
            int n;
            if (Long.compareUnsigned(pos, skipUntil) < 0) {
                n = (int) Math.min(skipUntil - pos, end - off);
            } else if (pageHeaderFill > 0 || (pos & (WalFormat.PAGE_SIZE - 1)) == 0) {
                n = pageHeaderBytes(data, off, end - off);
            } else if (!inRecord) {
                startRecord();
                continue;
            } else if (recordHeaderFill < WalFormat.RECORD_HEADER_SIZE) {
                n = Math.min(WalFormat.RECORD_HEADER_SIZE - recordHeaderFill, Math.min(end - off, bytesLeftInPage()));
                System.arraycopy(data, off, recordHeader, recordHeaderFill, n);
                recordHeaderFill += n;
                pos += n;
                if (recordHeaderFill >= 4 && recordHeaderFill - n < 4) {
                    checkLength();
                }
                recordRead += n;
                if (recordHeaderFill == WalFormat.RECORD_HEADER_SIZE) {
                    maybeFinishRecord();
                }
                off += n;
                continue;
            } else {
                n = (int) Math.min(recordLength - recordRead, Math.min(end - off, bytesLeftInPage()));
                crc.update(data, off, n);
                recordRead += n;
                pos += n;
                maybeFinishRecord();
                off += n;
                continue;
            }
            pos += n;
            off += n;
        }
    }

    private int bytesLeftInPage() {
        return WalFormat.PAGE_SIZE - (int) (pos & (WalFormat.PAGE_SIZE - 1));
    }

    private void startRecord() {
        inRecord = true;
        recordHeaderFill = 0;
        recordRead = 0;
        recordLength = WalFormat.RECORD_HEADER_SIZE;
        crc.reset();
    }

    private int pageHeaderBytes(byte[] data, int off, int len) throws InvalidWalException {
        long pageStart = (pos - pageHeaderFill) & ~(long) (WalFormat.PAGE_SIZE - 1);
        int size = WalFormat.pageHeaderSize(pageStart, segmentSize);
        int n = Math.min(size - pageHeaderFill, len);
        System.arraycopy(data, off, pageHeader, pageHeaderFill, n);
        pageHeaderFill += n;
        if (pageHeaderFill == size) {
            pageHeaderFill = 0;
            checkPageHeader(pageStart);
        }
        return n;
    }

    private void checkPageHeader(long pageStart) throws InvalidWalException {
        WalPageHeader h;
        try {
            h = WalPageHeader.readFrom(pageHeader, 0);
        } catch (IllegalArgumentException e) {
            throw new InvalidWalException("page " + Lsn.of(pageStart) + ": " + e.getMessage());
        }
        if (h.pageAddress() != pageStart) {
            throw new InvalidWalException("page " + Lsn.of(pageStart) + " claims address " + Lsn.of(h.pageAddress()));
        }
        if (h.size() != WalFormat.pageHeaderSize(pageStart, segmentSize)) {
            throw new InvalidWalException("page " + Lsn.of(pageStart) + " has a " + h.size() + "-byte header");
        }
        if (inRecord) {
            long remaining = recordLength - recordRead;
            boolean knownLength = recordHeaderFill >= 4;
            if ((h.info() & WalFormat.XLP_FIRST_IS_CONTRECORD) == 0
                    || (knownLength && Integer.toUnsignedLong(h.remainingLength()) != remaining)) {
                throw new InvalidWalException("page " + Lsn.of(pageStart) + " does not continue the record in progress");
            }
        }
    }

    private void checkLength() throws InvalidWalException {
        long totLen = Integer.toUnsignedLong(ByteBuffer.wrap(recordHeader).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        if (totLen < WalFormat.RECORD_HEADER_SIZE || totLen > MAX_RECORD_SIZE) {
            throw new InvalidWalException("record at " + Lsn.of(pos - recordHeaderFill) + " has xl_tot_len " + totLen);
        }
        recordLength = totLen;
    }

    private void maybeFinishRecord() throws InvalidWalException {
        if (recordRead < recordLength) {
            return;
        }
        ByteBuffer h = ByteBuffer.wrap(recordHeader).order(ByteOrder.LITTLE_ENDIAN);
        crc.update(recordHeader, 0, 20);
        int expected = h.getInt(20);
        if ((int) crc.getValue() != expected) {
            throw new InvalidWalException("record ending at " + Lsn.of(pos) + " fails its CRC");
        }
        inRecord = false;
        int info = recordHeader[16] & 0xFF;
        int rmid = recordHeader[17] & 0xFF;
        if (rmid == RM_XLOG_ID && (info & 0xF0) == XLOG_SWITCH) {
            lastRecordEnd = (pos + segmentSize - 1) & ~(long) (segmentSize - 1);
        } else {
            lastRecordEnd = WalFormat.maxAlign(pos);
        }
        skipUntil = lastRecordEnd;
    }
}
