package dev.jneon.common.wal.write;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays encoded WAL records out on 8 KiB pages of in-memory segment files, as PostgreSQL 15 writes
 * them, starting at a record boundary {@code start} of the caller's choosing.
 *
 * <p>Layout rules: every page the writer reaches gets a header, long on a segment's first page and
 * short elsewhere (see {@link WalPageHeader}). A record starts at the next 8-aligned position; if that
 * is a page start, after the page's header, with FIRST_IS_CONTRECORD clear. A record, header
 * included, is cut at page boundaries wherever it meets them; each page it continues on carries
 * FIRST_IS_CONTRECORD and xlp_rem_len = the record's bytes still to come; continuation bytes are
 * not aligned. Unwritten bytes, and the padding after each record, are zero.
 *
 * <p>Every segment the writer touches has its first page's long header written, even when writing
 * begins on a later page (PostgreSQL validates the first page of each segment it opens). When
 * {@code start} lies inside a page, beyond that page's header, the bytes before it belong to WAL this
 * writer never saw: the page's header then says so with FIRST_IS_CONTRECORD and xlp_rem_len =
 * {@code start} − (page start + header size), so that readers searching the page for its first record
 * (pg_waldump, XLogFindNextRecord) land exactly on {@code start}. A record may not start right at a
 * page start plus header when the header claims a continuation, so the flag is clear in that case.
 *
 * <p>Segments are kept whole in memory (one array of the segment size each) until {@link #finish}.
 * Not thread-safe; owned by the caller that builds the WAL.
 */
public final class WalSegmentWriter {

    private final long systemId;
    private final int segmentSize;
    private final Map<Long, byte[]> segments = new TreeMap<>();
    private long position;
    private boolean finished;

    /**
     * @param systemId pg_control's system identifier, copied into each long page header
     * @param segmentSize WAL segment size: a power of two from 1 MiB to 1 GiB
     * @param start where the first record goes: 8-aligned, not inside a page header
     */
    public WalSegmentWriter(long systemId, int segmentSize, Lsn start) {
        if (Integer.bitCount(segmentSize) != 1 || segmentSize < (1 << 20) || segmentSize > (1 << 30)) {
            throw new IllegalArgumentException("WAL segment size must be a power of two from 1 MiB to 1 GiB, got " + segmentSize);
        }
        if (!start.isValid() || !start.isAligned8()) {
            throw new IllegalArgumentException("WAL must start at a valid 8-aligned LSN, got " + start);
        }
        this.systemId = systemId;
        this.segmentSize = segmentSize;
        this.position = start.value();
        int pageOffset = start.pageOffset();
        if (pageOffset != 0) {
            int headerSize = WalFormat.pageHeaderSize(start.pageStart().value(), segmentSize);
            if (pageOffset < headerSize) {
                throw new IllegalArgumentException("WAL cannot start at " + start + ", inside the " + headerSize
                        + "-byte header of its page");
            }
            writePageHeader(start.pageStart().value(), pageOffset - headerSize);
        }
    }

    /**
     * Appends one complete encoded record ({@code record.length} = its xl_tot_len) and returns the LSN
     * where it starts (the value the next record's xl_prev must hold).
     */
    public Lsn append(byte[] record) {
        if (finished) {
            throw new IllegalStateException("WAL writer already finished");
        }
        if (record.length < WalFormat.RECORD_HEADER_SIZE) {
            throw new IllegalArgumentException("a WAL record has at least " + WalFormat.RECORD_HEADER_SIZE
                    + " bytes, got " + record.length);
        }
        position = WalFormat.maxAlign(position);
        if (position % WalFormat.PAGE_SIZE == 0) {
            position += writePageHeader(position, 0);
        }
        long recordStart = position;
        int done = 0;
        while (done < record.length) {
            if (position % WalFormat.PAGE_SIZE == 0) {
                position += writePageHeader(position, record.length - done);
            }
            int pageOffset = (int) (position % WalFormat.PAGE_SIZE);
            int n = Math.min(record.length - done, WalFormat.PAGE_SIZE - pageOffset);
            System.arraycopy(record, done, segmentOf(position), (int) Long.remainderUnsigned(position, segmentSize), n);
            position += n;
            done += n;
        }
        return Lsn.of(recordStart);
    }

    /**
     * PostgreSQL's EndRecPtr after the last record: the position after its last byte rounded up to 8.
     * On a page boundary it stays there (it does not skip the next page's header).
     */
    public Lsn endLsn() {
        return Lsn.of(WalFormat.maxAlign(position));
    }

    /** Where the next record would start: {@link #endLsn()}, moved past the page header if on a page start. */
    public Lsn nextRecordLsn() {
        long end = WalFormat.maxAlign(position);
        return Lsn.of(end % WalFormat.PAGE_SIZE == 0 ? end + WalFormat.pageHeaderSize(end, segmentSize) : end);
    }

    /** Hands over every segment touched, in LSN order; the writer accepts no more records. */
    public List<WalSegmentFile> finish() {
        finished = true;
        List<WalSegmentFile> files = new ArrayList<>();
        segments.forEach((segno, content) ->
                files.add(new WalSegmentFile(segno, WalFormat.segmentFileName(segno, segmentSize), content)));
        return List.copyOf(files);
    }

    /** Writes the header of the page at {@code pageLsn}; CONTRECORD iff {@code remaining} > 0. Returns its size. */
    private int writePageHeader(long pageLsn, int remaining) {
        WalPageHeader header = header(pageLsn, remaining);
        header.writeTo(segmentOf(pageLsn), (int) Long.remainderUnsigned(pageLsn, segmentSize));
        return header.size();
    }

    private WalPageHeader header(long pageLsn, int remaining) {
        boolean first = Long.remainderUnsigned(pageLsn, segmentSize) == 0;
        int info = (first ? WalFormat.XLP_LONG_HEADER : 0) | (remaining > 0 ? WalFormat.XLP_FIRST_IS_CONTRECORD : 0);
        return new WalPageHeader(info, pageLsn, remaining, first ? systemId : 0, first ? segmentSize : 0);
    }

    /** The segment holding {@code lsn}; a new one gets its first page's long header at once. */
    private byte[] segmentOf(long lsn) {
        long segno = Long.divideUnsigned(lsn, segmentSize);
        return segments.computeIfAbsent(segno, s -> {
            byte[] content = new byte[segmentSize];
            header(s * segmentSize, 0).writeTo(content, 0);
            return content;
        });
    }
}
