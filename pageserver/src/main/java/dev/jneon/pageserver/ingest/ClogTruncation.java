package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.Clog;

/**
 * CLOG TRUNCATE as segment deletions (postgres-formats C, as SimpleLruTruncate): the cutoff page is
 * rounded down to a segment start, and a segment goes when its first and its last page both
 * precede it by PostgreSQL's CLOGPagePrecedes (xid page·32768 + 4 of each page, modulo 2^32, also
 * before the cutoff page's last xid); the segment holding nextXid never goes. Stateless.
 */
final class ClogTruncation {

    private static final int SEGMENT = SlruKind.PAGES_PER_SEGMENT;

    private ClogTruncation() {}

    static void apply(SlruSegments slru, int cutoffPage, int nextXid, Lsn lsn) {
        int cutoff = cutoffPage - cutoffPage % SEGMENT;
        long nextXidSegment = Clog.pageOf(nextXid) / SEGMENT;
        slru.dropSegments(SlruKind.CLOG, segment -> segment != nextXidSegment
                && pagePrecedes(segment * SEGMENT, cutoff) && pagePrecedes(segment * SEGMENT + SEGMENT - 1, cutoff), lsn);
    }

    static boolean pagePrecedes(int page1, int page2) {
        int x1 = page1 * Clog.XIDS_PER_PAGE + 4;
        int x2 = page2 * Clog.XIDS_PER_PAGE + 4;
        return x1 - x2 < 0 && x1 - (x2 + Clog.XIDS_PER_PAGE - 1) < 0;
    }
}
