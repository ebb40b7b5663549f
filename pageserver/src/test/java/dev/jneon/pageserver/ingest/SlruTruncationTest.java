package dev.jneon.pageserver.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.wal.record.MultiXactBody;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLOG TRUNCATE and MULTIXACT TRUNCATE_ID as segment deletions (postgres-formats C). CLOG:
 * segments wholly before the cutoff page rounded down to a segment, never nextXid's. Multixact:
 * member segments from
 * seg(startTruncMemb) up to, not including, seg(endTruncMemb), wrapping after the last member
 * segment; offsets segments wholly before the page of endTruncOff − 1. A workload cannot reach
 * either quickly (a CLOG segment is 1M xids; template0's datminmxid holds multixacts back), so
 * this drives {@link ClogTruncation} and {@link MultiXacts#truncate} directly on a timeline.
 */
class SlruTruncationTest {

    private static final Lsn START = Lsn.of(0x28);
    private static final int MEMBERS_PER_SEGMENT = 1636 * 32;
    private static final int OFFSETS_PER_SEGMENT = 2048 * 32;

    @TempDir
    Path dir;
    private Timeline timeline;

    private Timeline timeline(List<Integer> members, List<Integer> offsets) {
        return timeline(members, offsets, List.of());
    }

    private Timeline timeline(List<Integer> members, List<Integer> offsets, List<Integer> clog) {
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, START, PgMajorVersion.PG15);
        timeline = TimelineLoader.create(dir.resolve("tl"), TenantShardId.unsharded(TenantId.generate()), TimelineId.generate(),
                Generation.of(1), null, metadata, TenantConf.DEFAULTS, Clock.systemUTC());
        segments(SlruKind.MULTIXACT_MEMBERS, members);
        segments(SlruKind.MULTIXACT_OFFSETS, offsets);
        segments(SlruKind.CLOG, clog);
        timeline.writer().finishWrite(START);
        timeline.activate();
        return timeline;
    }

    private void segments(SlruKind kind, List<Integer> segments) {
        SlruSegmentDirectory d = SlruSegmentDirectory.EMPTY;
        for (int s : segments) {
            d = d.with(s);
            timeline.writer().put(Key.slruSegSize(kind, s), START, Value.image(new byte[] {1, 0, 0, 0}));
            timeline.writer().put(Key.slruBlock(kind, s, 0), START, Value.image(new byte[8192]));
        }
        timeline.writer().put(Key.slruDir(kind), START, Value.image(d.encode()));
    }

    @AfterEach
    void stop() {
        timeline.shutdown(false);
    }

    private void truncate(int endOff, int startMemb, int endMemb) {
        Lsn lsn = START.plus(8);
        MultiXacts.truncate(new SlruSegments(timeline, timeline.writer()),
                new MultiXactBody.Truncate(5, 1, endOff, startMemb, endMemb), lsn);
        timeline.writer().finishWrite(lsn);
    }

    private SlruSegmentDirectory dir(SlruKind kind) {
        return SlruSegmentDirectory.decode(timeline.get(Key.slruDir(kind), timeline.lastRecordLsn()));
    }

    @Test
    void segmentsBeforeTheNewOldestGoWithTheirPages() {
        timeline(List.of(0, 1, 2, 3), List.of(0, 1, 2));
        truncate(2 * OFFSETS_PER_SEGMENT + 10, 1, 2 * MEMBERS_PER_SEGMENT + 5);
        assertThat(dir(SlruKind.MULTIXACT_MEMBERS).segments()).containsExactly(2, 3);
        assertThat(dir(SlruKind.MULTIXACT_OFFSETS).segments()).containsExactly(2);
        Assertions.assertThatThrownBy(() -> timeline.get(Key.slruBlock(SlruKind.MULTIXACT_MEMBERS, 1, 0),
                timeline.lastRecordLsn())).isInstanceOf(MissingKeyException.class);
        assertThat(timeline.get(Key.slruBlock(SlruKind.MULTIXACT_MEMBERS, 1, 0), START)).hasSize(8192);
    }

    @Test
    void memberTruncationWrapsAfterTheLastSegment() {
        int last = MultiXacts.LAST_MEMBER_SEGMENT;
        timeline(List.of(0, 1, last), List.of(0));
        truncate(100, -10, MEMBERS_PER_SEGMENT + 1);
        assertThat(dir(SlruKind.MULTIXACT_MEMBERS).segments()).containsExactly(1);
        assertThat(dir(SlruKind.MULTIXACT_OFFSETS).segments()).containsExactly(0);
    }

    @Test
    void clogSegmentsBeforeTheCutoffGoButNeverNextXidsOwn() {
        timeline(List.of(), List.of(), List.of(0, 1, 2, 3, 4));
        Lsn lsn = START.plus(8);
        int nextXid = 3 * 32 * 32768 + 17; // in segment 3
        ClogTruncation.apply(new SlruSegments(timeline, timeline.writer()), 2 * 32 + 5, nextXid, lsn);
        timeline.writer().finishWrite(lsn);
        assertThat(dir(SlruKind.CLOG).segments()).containsExactly(2, 3, 4);

        Lsn later = lsn.plus(8);
        ClogTruncation.apply(new SlruSegments(timeline, timeline.writer()), 5 * 32, nextXid, later);
        timeline.writer().finishWrite(later);
        assertThat(dir(SlruKind.CLOG).segments()).containsExactly(3);
        assertThat(ClogTruncation.pagePrecedes(0, 1)).isTrue();
        assertThat(ClogTruncation.pagePrecedes(1, 0)).isFalse();
        assertThat(ClogTruncation.pagePrecedes(0x1FFFF, 0)).as("wraparound: the last page precedes page 0").isTrue();
    }
}
