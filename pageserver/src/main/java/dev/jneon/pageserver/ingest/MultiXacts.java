package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.MultiXactMembers;
import dev.jneon.common.pg.file.MultiXactOffsets;
import dev.jneon.common.wal.record.MultiXactBody;
import dev.jneon.pageserver.value.NeonWalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MULTIXACT records as SLRU writes (postgres-formats C, D; spec I.3). CREATE_ID stores
 * offsets[mid] := moff and, as recent PostgreSQL 15 minors do (postgres-formats K.6), offsets[next(mid)] := moff + n
 * (0 becomes 1), next(mid) = mid + 1 skipping 0; each member offset moff + i (wrapping at 2^32)
 * gets (xid, status) on members page {@code (moff + i) / 1636}. TRUNCATE_ID deletes member
 * segments from seg(startTruncMemb) up to, not including, seg(endTruncMemb), wrapping after the
 * last member segment, and offsets segments wholly before the page of endTruncOff − 1 (as
 * SimpleLruTruncate: cutoff rounded down to a segment start, PostgreSQL's page-precedes rule).
 * Stateless.
 */
final class MultiXacts {

    /** The segment holding member offset 2^32 − 1, after which segment numbers wrap to 0. */
    static final int LAST_MEMBER_SEGMENT = (int) (MultiXactMembers.pageOf(-1) / SlruKind.PAGES_PER_SEGMENT);

    private MultiXacts() {}

    static void create(SlruSegments slru, MultiXactBody.Create c, Lsn lsn) {
        int mid = c.multiXactId();
        int moff = c.firstOffset();
        int n = c.members().size();
        slru.update(SlruKind.MULTIXACT_OFFSETS, offsetsPage(mid), new NeonWalRecord.MultixactOffsetCreate(mid, moff), lsn);
        int next = MultiXactOffsets.next(mid);
        int nextOffset = moff + n == 0 ? 1 : moff + n;
        slru.update(SlruKind.MULTIXACT_OFFSETS, offsetsPage(next),
                new NeonWalRecord.MultixactOffsetCreate(next, nextOffset), lsn);
        Map<Integer, Integer> firstOnPage = new TreeMap<>();
        Map<Integer, List<NeonWalRecord.Member>> byPage = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int offset = moff + i;
            int page = (int) MultiXactMembers.pageOf(offset);
            firstOnPage.putIfAbsent(page, offset);
            MultiXactBody.Member m = c.members().get(i);
            byPage.computeIfAbsent(page, p -> new ArrayList<>())
                    .add(new NeonWalRecord.Member(m.xid(), m.status().ordinal()));
        }
        for (var page : byPage.entrySet()) {
            slru.update(SlruKind.MULTIXACT_MEMBERS, page.getKey(),
                    new NeonWalRecord.MultixactMembersCreate(firstOnPage.get(page.getKey()), page.getValue()), lsn);
        }
    }

    static void truncate(SlruSegments slru, MultiXactBody.Truncate t, Lsn lsn) {
        int start = memberSegment(t.startTruncMemb());
        int end = memberSegment(t.endTruncMemb());
        slru.dropSegments(SlruKind.MULTIXACT_MEMBERS, segment -> inWrappingRange(segment, start, end), lsn);
        int previous = t.endTruncOff() == 1 ? -1 : t.endTruncOff() - 1;
        int cutoff = offsetsPage(previous);
        int cutoffSegmentStart = cutoff - cutoff % SlruKind.PAGES_PER_SEGMENT;
        slru.dropSegments(SlruKind.MULTIXACT_OFFSETS, segment -> {
            int first = segment * SlruKind.PAGES_PER_SEGMENT;
            return offsetsPagePrecedes(first, cutoffSegmentStart)
                    && offsetsPagePrecedes(first + SlruKind.PAGES_PER_SEGMENT - 1, cutoffSegmentStart);
        }, lsn);
    }

    static int offsetsPage(int multiXactId) {
        return (int) MultiXactOffsets.pageOf(multiXactId);
    }

    private static int memberSegment(int offset) {
        return (int) (MultiXactMembers.pageOf(offset) / SlruKind.PAGES_PER_SEGMENT);
    }

    /** Whether walking start, start+1, ... (wrapping after the last segment) meets {@code segment} before {@code end}. */
    private static boolean inWrappingRange(int segment, int start, int end) {
        if (start <= end) {
            return segment >= start && segment < end;
        }
        return segment >= start && segment <= LAST_MEMBER_SEGMENT || segment < end;
    }

    /** MultiXactOffsetPagePrecedes: compares the second multixact of each page, modulo 2^32. */
    private static boolean offsetsPagePrecedes(int page1, int page2) {
        int m1 = page1 * MultiXactOffsets.PER_PAGE + 2;
        int m2 = page2 * MultiXactOffsets.PER_PAGE + 2;
        return m1 - m2 < 0 && m1 - (m2 + MultiXactOffsets.PER_PAGE - 1) < 0;
    }
}
