package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.gc.GcResult;
import dev.jneon.pageserver.timeline.gc.LsnForTimestamp;
import dev.jneon.pageserver.value.NeonWalRecord;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GC with a PITR interval (spec D.6, C): the time cutoff comes from the commit timestamps on CLOG
 * pages. Record i (LSN 0x100 + 8i) rewrites a page and every fifth one commits a transaction at
 * T0 + i seconds, so "now − pitr_interval" = T0 + 50 s maps to the LSN just below record 50.
 */
class PitrGcTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration PITR = Duration.ofHours(1);
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int RECORDS = 100;

    @TempDir
    Path dir;

    private Timeline timeline(Instant now, PageModel model) throws InterruptedException {
        TenantConf conf = TimelineFixture.conf(16 * 1024).withCompactionThreshold(100).withImageCreation(3, 0)
                .withGc(0, PITR);
        TimelineId id = TimelineId.generate();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, TimelineFixture.INITDB,
                PgMajorVersion.PG15);
        Timeline t = TimelineLoader.create(dir.resolve(id.toString()), TimelineFixture.TENANT, id, Generation.of(1), null,
                metadata, conf, Clock.fixed(now, ZoneOffset.UTC));
        for (int b = 0; b < PageModel.BLOCKS; b++) {
            model.put(t, Key.relBlock(PageModel.REL, b), TimelineFixture.INITDB, TimelineFixture.page(Key.relBlock(PageModel.REL, b), 0));
        }
        model.put(t, Key.relSize(PageModel.REL), TimelineFixture.INITDB, new byte[] {PageModel.BLOCKS, 0, 0, 0});
        t.writer().put(Key.slruDir(SlruKind.CLOG), TimelineFixture.INITDB, Value.image(SlruSegmentDirectory.EMPTY.with(0).encode()));
        t.writer().put(Key.slruSegSize(SlruKind.CLOG, 0), TimelineFixture.INITDB, Value.image(new byte[] {1, 0, 0, 0}));
        t.writer().put(Key.slruBlock(SlruKind.CLOG, 0, 0), TimelineFixture.INITDB, Value.image(new byte[8192]));
        t.writer().finishWrite(TimelineFixture.INITDB);
        t.activate();
        for (int i = 1; i <= RECORDS; i++) {
            Lsn lsn = record(i);
            Key key = Key.relBlock(PageModel.REL, i % PageModel.BLOCKS);
            model.put(t, key, lsn, TimelineFixture.page(key, i));
            if (i % 5 == 0) {
                long micros = T0.plusSeconds(i).toEpochMilli() * 1000 - PG_EPOCH_MICROS;
                t.writer().put(Key.slruBlock(SlruKind.CLOG, 0, 0), lsn,
                        Value.record(new NeonWalRecord.ClogSetCommitted(List.of(100 + i), micros)));
            }
            t.writer().finishWrite(lsn);
        }
        t.checkpoint();
        return t;
    }

    private static Lsn record(int i) {
        return Lsn.of(0x100 + 8L * i);
    }

    @Test
    void theTimeCutoffComesFromCommitTimestampsAndReadsAboveItStayEqual() throws Exception {
        PageModel model = new PageModel();
        Timeline t = timeline(T0.plusSeconds(50).plus(PITR), model);
        Lsn expected = record(50).plus(-8);
        assertThat(LsnForTimestamp.find(t, T0.plusSeconds(50))).isEqualTo(new LsnForTimestamp.Result.Present(expected));
        List<PersistentLayer> before = t.layers().historic();

        GcResult result = t.gc(0, List.of());

        assertThat(t.gcCutoffLsn()).isEqualTo(expected);
        assertThat(result.layersRemoved()).isPositive();
        assertThat(result.layersNeededByPitr()).isPositive();
        assertThat(t.layers().historic()).hasSize(before.size() - (int) result.layersRemoved());
        for (PersistentLayer removed : before) {
            if (!t.layers().historic().contains(removed)) {
                assertThat(removed.lsnRange().end()).isLessThanOrEqualTo(expected);
            }
        }
        model.checkAllReads(t, expected, record(RECORDS));
        assertThatThrownBy(() -> t.get(Key.relSize(PageModel.REL), expected.plus(-8))).hasMessageContaining("GC cutoff");
        t.shutdown(false);
    }

    @Test
    void aBranchPointBelowTheTimeCutoffKeepsItsLayers() throws Exception {
        PageModel model = new PageModel();
        Timeline t = timeline(T0.plusSeconds(90).plus(PITR), model);
        Lsn branchAt = record(20);
        Timeline child = TimelineFixture.branch(dir, TimelineId.generate(), t, branchAt, TimelineFixture.conf(16 * 1024));
        GcResult result = t.gc(0, List.of(branchAt));
        assertThat(t.gcCutoffLsn()).isEqualTo(record(90).plus(-8));
        assertThat(result.layersNeededByBranches()).isPositive();
        for (Key key : model.keys()) {
            assertThat(child.get(key, branchAt)).as("%s", key).isEqualTo(model.expected(key, branchAt));
        }
        model.checkAllReads(t, t.gcCutoffLsn(), record(RECORDS));
        child.shutdown(false);
        t.shutdown(false);
    }

    @Test
    void historyYoungerThanTheIntervalIsKeptAndOlderHistoryGoesUpToTheLastRecord() throws Exception {
        PageModel young = new PageModel();
        Timeline t = timeline(T0.plus(PITR), young);
        assertThat(LsnForTimestamp.find(t, T0)).isInstanceOf(LsnForTimestamp.Result.Past.class);
        assertThat(t.gc(0, List.of())).isEqualTo(GcResult.keptForPitr(t.layers().historic().size()));
        assertThat(t.gcCutoffLsn()).isEqualTo(Lsn.INVALID);
        t.shutdown(false);

        PageModel old = new PageModel();
        Timeline o = timeline(T0.plus(Duration.ofDays(3)), old);
        assertThat(LsnForTimestamp.find(o, T0.plus(Duration.ofDays(3)).minus(PITR)))
                .isInstanceOf(LsnForTimestamp.Result.Future.class);
        o.gc(0, List.of());
        assertThat(o.gcCutoffLsn()).isEqualTo(Lsn.min(o.lastRecordLsn(), o.diskConsistentLsn()));
        old.checkAllReads(o, o.gcCutoffLsn(), record(RECORDS));
        o.shutdown(false);
    }
}
