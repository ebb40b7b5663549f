package dev.jneon.common.wal;

import static dev.jneon.common.wal.WalFormat.*;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.wal.WalDecodeException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.zip.CRC32C;

/**
 * Streaming decoder of PostgreSQL 15 WAL. Feed it the WAL bytes that follow its start LSN, in
 * chunks of any size, and pull complete {@link WalRecord}s with {@link #next()}; it returns null
 * when it needs more bytes. Call {@link #finish()} at the end of the input to learn whether it
 * stopped inside a record.
 *
 * <p>Byte layout (see {@link WalFormat}): 8 KiB pages, each starting with a 24-byte header, 40
 * bytes on a segment's first page. Records start 8-aligned, may be split at any page boundary
 * (header included), and the page after a split carries FIRST_IS_CONTRECORD with rem_len = the
 * record bytes still to come. After XLOG_SWITCH the rest of the segment is skipped unread.
 *
 * <p>Checks, each failing with a typed {@link WalDecodeException}: page magic (0xD110), xlp_info
 * bits, long header exactly at segment starts with a consistent system id, segment and page size,
 * xlp_pageaddr equal to the page's LSN, timeline never decreasing, continuation flag and rem_len,
 * 24 &lt;= xl_tot_len &lt;= {@link WalFormat#MAX_RECORD_SIZE}, a valid rmgr id, xl_prev equal to
 * the previous record's start (or, for the first record when it is not known, below its own
 * start), the CRC-32C, and the block-header layout. A record buffer grows with the bytes that
 * arrive, never to a size read from the input ahead of them. A page with
 * FIRST_IS_OVERWRITE_CONTRECORD where a continuation was due ends the partial record, which is
 * dropped, as PostgreSQL does. Errors are sticky: once {@link #next()} threw, it throws the same.
 *
 * <p>When the start LSN is a page start whose page begins with a continuation, the continuation is
 * skipped and decoding starts at the first record after it (as pg_waldump does). Fed buffers are
 * kept, not copied, until consumed: do not change them before {@link #next()} returned null.
 * Not thread-safe; owned by one reader.
 */
public final class WalDecoder {

    /** Page magic of the only WAL format this decoder reads. */
    public static final int PAGE_MAGIC = PgMajorVersion.PG15.walPageMagic();

    private static final int INITIAL_RECORD_CAPACITY = 64 * 1024;

    private enum State { RECORD_START, RECORD_HEADER, RECORD_BODY, SKIP_CONTINUATION, SKIP_TO_SEGMENT_END }

    private final int segmentSize;
    private final ArrayDeque<ByteBuffer> input = new ArrayDeque<>();
    private final byte[] pageHeader = new byte[LONG_PAGE_HEADER_SIZE];
    private final byte[] recordHeader = new byte[RECORD_HEADER_SIZE];
    private final CRC32C crc = new CRC32C();

    private long buffered;
    private long pos;
    private long prevRecord;
    private long systemId;
    private int timeline;
    private boolean mayStartInContinuation;
    private WalDecodeException failure;

    private State state = State.RECORD_START;
    private int pageHeaderHave;
    private long recordStart;
    private int recordHeaderHave;
    private long totLen;
    private byte[] record;
    private int recordHave;
    private long continuationLeft;

    /** A decoder of 16 MiB segments from {@code start}, with the previous record unknown. */
    public WalDecoder(Lsn start) {
        this(start, Lsn.INVALID, Lsn.DEFAULT_SEGMENT_SIZE);
    }

    /**
     * @param start a record start, or the start of a page (its header is read first)
     * @param prevRecord start of the record before {@code start}, checked against the first
     *     xl_prev; {@link Lsn#INVALID} when unknown
     * @param segmentSize WAL segment size, a power of two from 1 MiB to 1 GiB
     */
    public WalDecoder(Lsn start, Lsn prevRecord, int segmentSize) {
        if (Integer.bitCount(segmentSize) != 1 || segmentSize < (1 << 20) || segmentSize > (1 << 30)) {
            throw new IllegalArgumentException("segment size must be a power of two from 1 MiB to 1 GiB, got "
                    + segmentSize);
        }
        long s = start.value();
        int inPage = (int) (s & (PAGE_SIZE - 1));
        if ((s & (MAXALIGN - 1)) != 0 || (inPage != 0 && inPage < pageHeaderSize(s - inPage, segmentSize))) {
            throw new IllegalArgumentException("WAL decoding must start at a page start or an 8-aligned position"
                    + " after the page header, got " + start);
        }
        this.segmentSize = segmentSize;
        this.pos = s;
        this.prevRecord = prevRecord.value();
        this.mayStartInContinuation = inPage == 0;
    }

    /** Appends WAL bytes that continue the stream; the buffer's remaining bytes are kept until consumed. */
    public void feed(ByteBuffer chunk) {
        if (chunk.hasRemaining()) {
            input.addLast(chunk.slice());
            buffered += chunk.remaining();
        }
    }

    public void feed(byte[] bytes, int offset, int length) {
        feed(ByteBuffer.wrap(bytes, offset, length));
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** LSN of the next byte the decoder will consume. */
    public Lsn position() {
        return Lsn.of(pos);
    }

    /** Bytes fed but not yet consumed. */
    public long bufferedBytes() {
        return buffered;
    }

    /** Start of the last record returned, or the one given at construction. */
    public Lsn previousRecord() {
        return Lsn.of(prevRecord);
    }

    /**
     * The next complete record, or null when the bytes fed so far end before it does. It returns
     * null only once every fed byte is consumed (so a caller may then reuse its buffers), and each
     * call consumes input or returns, so a loop over it ends once the input is used up.
     */
    public WalRecord next() throws WalDecodeException {
        if (failure != null) {
            throw failure;
        }
        try {
            return step();
        } catch (WalDecodeException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Declares the end of the input. Throws {@link Kind#TRUNCATED} if it ended inside a page
     * header or a record (or a continuation being skipped). Call after {@link #next()} returned null.
     */
    public void finish() throws WalDecodeException {
        if (failure != null) {
            throw failure;
        }
        if (buffered > 0) {
            throw new IllegalStateException(buffered + " fed bytes not consumed yet: call next() until it returns null");
        }
        if (pageHeaderHave > 0) {
            failure = new WalDecodeException(Lsn.of(pos - pageHeaderHave), Kind.TRUNCATED,
                    "input ends inside a page header");
        } else if ((state == State.RECORD_HEADER && recordHeaderHave > 0) || state == State.RECORD_BODY) {
            failure = new WalDecodeException(Lsn.of(recordStart), Kind.TRUNCATED, "input ends inside a record of "
                    + (totLen > 0 ? totLen + " bytes, " : "") + (state == State.RECORD_BODY ? recordHave : recordHeaderHave)
                    + " read");
        } else if (state == State.SKIP_CONTINUATION) {
            failure = new WalDecodeException(Lsn.of(pos), Kind.TRUNCATED, "input ends inside a leading continuation");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private WalRecord step() throws WalDecodeException {
        while (true) {
            if (state == State.SKIP_TO_SEGMENT_END) {
                long left = Long.remainderUnsigned(-pos, segmentSize);
                if (left == 0) {
                    state = State.RECORD_START;
                    continue;
                }
                if (buffered == 0) {
                    return null;
                }
                skip(Math.min(left, buffered));
                continue;
            }
            if ((pos & (PAGE_SIZE - 1)) == 0 || pageHeaderHave > 0) {
                if (!readPageHeader()) {
                    return null;
                }
                continue;
            }
            int toPageEnd = PAGE_SIZE - (int) (pos & (PAGE_SIZE - 1));
            switch (state) {
                case RECORD_START -> {
                    if (buffered == 0) {
                        return null;
                    }
                    long pad = maxAlign(pos) - pos;
                    if (pad > 0) {
                        skip(Math.min(pad, buffered));
                        continue;
                    }
                    recordStart = pos;
                    recordHeaderHave = 0;
                    totLen = 0;
                    state = State.RECORD_HEADER;
                }
                case RECORD_HEADER -> {
                    int n = (int) Math.min(Math.min(RECORD_HEADER_SIZE - recordHeaderHave, toPageEnd), buffered);
                    if (n == 0) {
                        return null;
                    }
                    copy(recordHeader, recordHeaderHave, n);
                    recordHeaderHave += n;
                    if (recordHeaderHave >= 4 && totLen == 0) {
                        checkTotalLength();
                    }
                    if (recordHeaderHave == RECORD_HEADER_SIZE) {
                        startBody();
                        if (recordHave == totLen) {
                            return complete();
                        }
                    }
                }
                case RECORD_BODY -> {
                    int n = (int) Math.min(Math.min(totLen - recordHave, toPageEnd), buffered);
                    if (n == 0) {
                        return null;
                    }
                    ensureCapacity(recordHave + n);
                    copy(record, recordHave, n);
                    recordHave += n;
                    if (recordHave == totLen) {
                        return complete();
                    }
                }
                case SKIP_CONTINUATION -> {
                    long n = Math.min(Math.min(continuationLeft, toPageEnd), buffered);
                    if (n == 0) {
                        return null;
                    }
                    skip(n);
                    continuationLeft -= n;
                    if (continuationLeft == 0) {
                        state = State.RECORD_START;
                    }
                }
                case SKIP_TO_SEGMENT_END -> throw new IllegalStateException("handled above");
            }
        }
    }

    private void checkTotalLength() throws WalDecodeException {
        long len = le32(recordHeader, 0) & 0xFFFFFFFFL;
        if (len == 0) {
            throw new WalDecodeException(Lsn.of(recordStart), Kind.END_OF_WAL, "record length 0 (zeroed WAL)");
        }
        if (len < RECORD_HEADER_SIZE || len > MAX_RECORD_SIZE) {
            throw new WalDecodeException(Lsn.of(recordStart), Kind.BAD_RECORD_HEADER, "invalid record length " + len
                    + ": must be " + RECORD_HEADER_SIZE + ".." + MAX_RECORD_SIZE);
        }
        totLen = len;
    }

    private void startBody() throws WalDecodeException {
        int rmid = recordHeader[17] & 0xFF;
        if (!ResourceManager.isValidId(rmid)) {
            throw new WalDecodeException(Lsn.of(recordStart), Kind.BAD_RECORD_HEADER, "invalid resource manager id "
                    + rmid);
        }
        long xlPrev = (le32(recordHeader, 8) & 0xFFFFFFFFL) | (long) le32(recordHeader, 12) << 32;
        if (prevRecord != 0 ? xlPrev != prevRecord : Long.compareUnsigned(xlPrev, recordStart) >= 0) {
            throw new WalDecodeException(Lsn.of(recordStart), Kind.BAD_RECORD_HEADER, "xl_prev " + Lsn.of(xlPrev)
                    + (prevRecord != 0 ? " is not the previous record " + Lsn.of(prevRecord) : " is not before the record"));
        }
        record = new byte[(int) Math.min(totLen, INITIAL_RECORD_CAPACITY)];
        System.arraycopy(recordHeader, 0, record, 0, RECORD_HEADER_SIZE);
        recordHave = RECORD_HEADER_SIZE;
        state = State.RECORD_BODY;
    }

    private void ensureCapacity(int needed) {
        if (needed > record.length) {
            int grown = (int) Math.min(totLen, Math.max((long) record.length * 2, needed));
            byte[] bigger = new byte[grown];
            System.arraycopy(record, 0, bigger, 0, recordHave);
            record = bigger;
        }
    }

    private WalRecord complete() throws WalDecodeException {
        int len = (int) totLen;
        crc.reset();
        crc.update(record, RECORD_HEADER_SIZE, len - RECORD_HEADER_SIZE);
        crc.update(record, 0, RECORD_CRC_OFFSET);
        int stored = le32(record, RECORD_CRC_OFFSET);
        if ((int) crc.getValue() != stored) {
            throw new WalDecodeException(Lsn.of(recordStart), Kind.BAD_CRC, String.format(
                    "CRC-32C %08X, record says %08X", (int) crc.getValue(), stored));
        }
        boolean isSwitch = (record[17] & 0xFF) == ResourceManager.XLOG.id() && (record[16] & XLR_RMGR_INFO_MASK) == 0x40;
        long end = isSwitch ? pos + Long.remainderUnsigned(-pos, segmentSize) : maxAlign(pos);
        WalRecord decoded = RecordLayout.decode(record, len, Lsn.of(recordStart), Lsn.of(end));
        prevRecord = recordStart;
        record = null;
        recordHave = 0;
        state = isSwitch ? State.SKIP_TO_SEGMENT_END : State.RECORD_START;
        return decoded;
    }

    /** Gathers the header of the page at hand; false if more input is needed. */
    private boolean readPageHeader() throws WalDecodeException {
        long pageStart = pos - pageHeaderHave;
        int size = pageHeaderSize(pageStart, segmentSize);
        int n = (int) Math.min(size - pageHeaderHave, buffered);
        if (n == 0) {
            return false;
        }
        copy(pageHeader, pageHeaderHave, n);
        pageHeaderHave += n;
        if (pageHeaderHave < size) {
            return false;
        }
        pageHeaderHave = 0;
        boolean first = mayStartInContinuation;
        mayStartInContinuation = false;
        checkPageHeader(pageStart, size, first);
        return true;
    }

    private void checkPageHeader(long pageStart, int size, boolean firstPage) throws WalDecodeException {
        ByteBuffer h = ByteBuffer.wrap(pageHeader).order(ByteOrder.LITTLE_ENDIAN);
        Lsn at = Lsn.of(pageStart);
        int magic = h.getShort(0) & 0xFFFF;
        int info = h.getShort(2) & 0xFFFF;
        int tli = h.getInt(4);
        long pageAddr = h.getLong(8);
        long remLen = h.getInt(16) & 0xFFFFFFFFL;
        if (magic != PAGE_MAGIC) {
            boolean zero = magic == 0 && info == 0 && tli == 0 && pageAddr == 0;
            throw new WalDecodeException(at, zero ? Kind.END_OF_WAL : Kind.BAD_PAGE_HEADER,
                    zero ? "zeroed page" : String.format("page magic %04X, expected %04X", magic, PAGE_MAGIC));
        }
        if ((info & ~XLP_ALL_FLAGS) != 0) {
            throw new WalDecodeException(at, Kind.BAD_PAGE_HEADER, "invalid xlp_info bits 0x" + Integer.toHexString(info));
        }
        boolean segmentStart = size == LONG_PAGE_HEADER_SIZE;
        if (segmentStart != ((info & XLP_LONG_HEADER) != 0)) {
            throw new WalDecodeException(at, Kind.BAD_PAGE_HEADER, segmentStart
                    ? "segment start without a long page header" : "long page header flag inside a segment");
        }
        if (segmentStart) {
            checkLongHeader(h, at);
        }
        if (pageAddr != pageStart) {
            boolean recycled = Long.compareUnsigned(pageAddr, pageStart) < 0
                    && Long.remainderUnsigned(pageStart - pageAddr, segmentSize) == 0;
            throw new WalDecodeException(at, recycled ? Kind.END_OF_WAL : Kind.BAD_PAGE_HEADER,
                    "unexpected pageaddr " + Lsn.of(pageAddr) + (recycled ? " (recycled segment)" : ""));
        }
        if (tli == 0 || Integer.compareUnsigned(tli, timeline) < 0) {
            throw new WalDecodeException(at, Kind.BAD_PAGE_HEADER, "timeline " + Integer.toUnsignedString(tli)
                    + " after timeline " + Integer.toUnsignedString(timeline));
        }
        timeline = tli;
        checkContinuation(info, remLen, at, firstPage);
    }

    private void checkLongHeader(ByteBuffer h, Lsn at) throws WalDecodeException {
        long sysid = h.getLong(24);
        int segSize = h.getInt(32);
        int blcksz = h.getInt(36);
        if (segSize != segmentSize) {
            throw new WalDecodeException(at, Kind.BAD_PAGE_HEADER, "segment size " + Integer.toUnsignedString(segSize)
                    + " in the long header, expected " + segmentSize);
        }
        if (blcksz != PAGE_SIZE) {
            throw new WalDecodeException(at, Kind.BAD_PAGE_HEADER, "page size " + Integer.toUnsignedString(blcksz)
                    + " in the long header, expected " + PAGE_SIZE);
        }
        if (systemId != 0 && sysid != systemId) {
            throw new WalDecodeException(at, Kind.BAD_PAGE_HEADER, "system id " + Long.toUnsignedString(sysid)
                    + ", earlier segments have " + Long.toUnsignedString(systemId));
        }
        systemId = sysid;
    }

    private void checkContinuation(int info, long remLen, Lsn at, boolean firstPage) throws WalDecodeException {
        boolean cont = (info & XLP_FIRST_IS_CONTRECORD) != 0;
        switch (state) {
            case RECORD_START -> {
                if (cont && firstPage) {
                    if (remLen == 0 || remLen > MAX_RECORD_SIZE) {
                        throw new WalDecodeException(at, Kind.BAD_CONTINUATION, "invalid rem_len " + remLen);
                    }
                    continuationLeft = remLen;
                    state = State.SKIP_CONTINUATION;
                } else if (cont) {
                    throw new WalDecodeException(at, Kind.BAD_CONTINUATION,
                            "page starts with a continuation where a record should start");
                }
            }
            case RECORD_HEADER, RECORD_BODY -> {
                if (!cont && (info & XLP_FIRST_IS_OVERWRITE_CONTRECORD) != 0) {
                    state = State.RECORD_START;
                    record = null;
                    recordHave = 0;
                    return;
                }
                long got = state == State.RECORD_BODY ? recordHave : recordHeaderHave;
                if (!cont) {
                    throw new WalDecodeException(at, Kind.BAD_CONTINUATION, "no continuation flag for the record at "
                            + Lsn.of(recordStart));
                }
                if (totLen != 0 && remLen != totLen - got) {
                    throw new WalDecodeException(at, Kind.BAD_CONTINUATION, "rem_len " + remLen + ", expected "
                            + (totLen - got) + " for the record at " + Lsn.of(recordStart));
                }
            }
            case SKIP_CONTINUATION -> {
                if (!cont || remLen != continuationLeft) {
                    throw new WalDecodeException(at, Kind.BAD_CONTINUATION, "continuation with flag " + cont
                            + " and rem_len " + remLen + ", expected " + continuationLeft);
                }
            }
            case SKIP_TO_SEGMENT_END -> throw new IllegalStateException("no page header is read while skipping");
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private void copy(byte[] dst, int offset, int n) {
        int left = n;
        while (left > 0) {
            ByteBuffer head = input.peekFirst();
            int k = Math.min(left, head.remaining());
            head.get(dst, offset, k);
            offset += k;
            left -= k;
            if (!head.hasRemaining()) {
                input.pollFirst();
            }
        }
        buffered -= n;
        pos += n;
    }

    private void skip(long n) {
        long left = n;
        while (left > 0) {
            ByteBuffer head = input.peekFirst();
            int k = (int) Math.min(left, head.remaining());
            head.position(head.position() + k);
            left -= k;
            if (!head.hasRemaining()) {
                input.pollFirst();
            }
        }
        buffered -= n;
        pos += n;
    }
}
