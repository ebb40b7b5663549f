package dev.jneon.pageserver.timeline.gc;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.SlruPage;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Neon's find_lsn_for_timestamp (spec C): which LSN of a timeline corresponds to a wall-clock time,
 * from the commit timestamps ingest appends to CLOG pages (8 big-endian bytes after the 8192-byte
 * page, µs since 2000-01-01, the newest commit on that page). Binary search over 8-aligned LSNs
 * in [max(gc cutoff, ancestor LSN, initdb LSN), last_record]: a probe answers "some CLOG page's
 * trailer at this LSN is at or after the time" → search lower. The answer is the LSN just below
 * the first probe that saw such a commit. Stateless; reads the timeline (safe from any thread).
 */
public final class LsnForTimestamp {

    /** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private LsnForTimestamp() {}

    /** The outcome, with Neon's four cases. */
    public sealed interface Result {
        /** Commits before and after the time: {@code lsn} is the last LSN before the first commit at or after it. */
        record Present(Lsn lsn) implements Result {}

        /** Every commit is older than the time. */
        record Future(Lsn lsn) implements Result {}

        /** Every commit is at or after the time: history does not reach back that far. */
        record Past(Lsn lsn) implements Result {}

        /** No commit timestamps at all. */
        record NoData(Lsn lsn) implements Result {}
    }

    public static Result find(Timeline t, Instant time) {
        long target = toPgMicros(time);
        Lsn min = Lsn.max(Lsn.max(t.gcCutoffLsn(), t.ancestorLsn()), t.initdbLsn());
        Lsn max = t.lastRecordLsn();
        long low = min.value() / 8;
        long high = max.value() / 8 + 1;
        boolean foundSmaller = false;
        boolean foundLarger = false;
        while (Long.compareUnsigned(low, high) < 0) {
            long mid = low + (high - low) / 2;
            Lsn probe = Lsn.max(Lsn.of(mid * 8), min);
            long newest = newestCommit(t, Lsn.min(probe, max));
            if (newest != Long.MIN_VALUE && newest >= target) {
                foundLarger = true;
                high = mid;
            } else {
                if (newest != Long.MIN_VALUE) {
                    foundSmaller = true;
                }
                low = mid + 1;
            }
        }
        Lsn commitLsn = Lsn.max(Lsn.of((low - 1) * 8), min);
        if (foundSmaller && foundLarger) {
            return new Result.Present(commitLsn);
        }
        if (foundSmaller) {
            return new Result.Future(commitLsn);
        }
        return foundLarger ? new Result.Past(min) : new Result.NoData(min);
    }

    /** The newest CLOG trailer timestamp at {@code lsn}, or Long.MIN_VALUE when no page has one (or there is no CLOG). */
    static long newestCommit(Timeline t, Lsn lsn) {
        SlruSegmentDirectory dir;
        try {
            dir = SlruSegmentDirectory.decode(t.get(Key.slruDir(SlruKind.CLOG), lsn));
        } catch (MissingKeyException e) {
            return Long.MIN_VALUE;
        }
        List<Key> pages = new ArrayList<>();
        for (int segment : dir.segments()) {
            byte[] size = t.get(Key.slruSegSize(SlruKind.CLOG, segment), lsn);
            int blocks = (size[0] & 0xFF) | (size[1] & 0xFF) << 8 | (size[2] & 0xFF) << 16 | (size[3] & 0xFF) << 24;
            for (int b = 0; b < blocks; b++) {
                pages.add(Key.slruBlock(SlruKind.CLOG, segment, b));
            }
        }
        long newest = Long.MIN_VALUE;
        for (byte[] page : t.getVectored(pages, lsn).values()) {
            if (page.length >= SlruPage.SIZE + 8) {
                long ts = 0;
                for (int i = 0; i < 8; i++) {
                    ts = ts << 8 | (page[SlruPage.SIZE + i] & 0xFF);
                }
                newest = Math.max(newest, ts);
            }
        }
        return newest;
    }

    static long toPgMicros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000)
                - PG_EPOCH_MICROS;
    }
}
