package dev.jneon.pageserver.basebackup;

import dev.jneon.common.key.Key;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.SlruPage;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SLRU segment files of a basebackup (postgres-formats D): {@code pg_xact/},
 * {@code pg_multixact/offsets/} and {@code pg_multixact/members/}, each segment the timeline keeps
 * as {@code <dir>/%04X} with its stored pages. Without recovery PostgreSQL reads, at start, the CLOG
 * page of nextXid, the offsets page of nextMulti and the members page of nextMultiOffset; a missing
 * file or page there is FATAL, so those segments are extended with zero pages up to the needed page
 * (zeros = "in progress" / "no multixact yet", what PostgreSQL itself writes when it first zeroes
 * such a page). Stateless.
 */
final class SlruFiles {

    static final int CLOG_XIDS_PER_PAGE = SlruPage.SIZE * 4;
    static final int MULTIXACT_OFFSETS_PER_PAGE = SlruPage.SIZE / 4;
    /** 409 groups of 4 members (4 flag bytes + 4 u32 xids) per page. */
    static final int MULTIXACT_MEMBERS_PER_PAGE = 409 * 4;

    private SlruFiles() {}

    /** Writes the three SLRUs; returns the pages written. */
    static long write(TarWriter tar, PageSource source, CheckPoint checkPoint) throws IOException {
        long pages = 0;
        pages += write(tar, source, SlruKind.CLOG, Integer.divideUnsigned(checkPoint.nextXid(), CLOG_XIDS_PER_PAGE));
        pages += write(tar, source, SlruKind.MULTIXACT_OFFSETS,
                Integer.divideUnsigned(checkPoint.nextMulti(), MULTIXACT_OFFSETS_PER_PAGE));
        pages += write(tar, source, SlruKind.MULTIXACT_MEMBERS,
                Integer.divideUnsigned(checkPoint.nextMultiOffset(), MULTIXACT_MEMBERS_PER_PAGE));
        return pages;
    }

    private static long write(TarWriter tar, PageSource source, SlruKind kind, int neededPage) throws IOException {
        byte[] dirValue = source.find(Key.slruDir(kind));
        SlruSegmentDirectory dir = dirValue == null ? SlruSegmentDirectory.EMPTY : SlruSegmentDirectory.decode(dirValue);
        int neededSegment = Integer.divideUnsigned(neededPage, SlruPage.PAGES_PER_SEGMENT);
        int neededPages = Integer.remainderUnsigned(neededPage, SlruPage.PAGES_PER_SEGMENT) + 1;
        // segment -> stored pages; the needed segment is there even when the timeline lacks it
        Map<Integer, Integer> segments = new TreeMap<>(Integer::compareUnsigned);
        for (int segment : dir.segments()) {
            segments.put(segment, source.u32(Key.slruSegSize(kind, segment)));
        }
        segments.putIfAbsent(neededSegment, 0);
        long pages = 0;
        for (var e : segments.entrySet()) {
            int segment = e.getKey();
            int stored = e.getValue();
            int count = segment == neededSegment ? Math.max(stored, neededPages) : stored;
            source.writePages(tar, kind.directory() + "/" + SlruPage.segmentFileName(Integer.toUnsignedLong(segment)), 0,
                    count, stored, true, block -> Key.slruBlock(kind, segment, block));
            pages += count;
        }
        return pages;
    }
}
