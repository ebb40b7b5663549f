package dev.jneon.pageserver.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tenant's periodic GC (knob gc_period): it moves a timeline's GC cutoff without anyone calling do_gc. */
class GcLoopTest {

    private static final Lsn INITDB = Lsn.of(0x28);

    @TempDir
    Path dir;

    @Test
    void theLoopCollectsEveryGcPeriod() throws Exception {
        TenantShard tenant = TenantShard.create(dir.resolve("tenant"), TenantShardId.unsharded(TenantId.generate()),
                new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048,
                        Map.of("pitr_interval", "0", "gc_horizon", 80, "gc_period", "100ms")), Clock.systemUTC());
        try {
            assertThat(tenant.location().engineConf().gcPeriod()).isEqualTo(Duration.ofMillis(100));
            TimelineId id = TimelineId.generate();
            var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, INITDB, PgMajorVersion.PG15);
            Timeline t = TimelineLoader.create(tenant.timelineDir(id), tenant.id(), id, Generation.of(1), null, metadata,
                    tenant.location().engineConf(), Clock.systemUTC());
            t.writer().put(Key.CHECKPOINT, INITDB, Value.image(new byte[88]));
            t.writer().finishWrite(INITDB);
            t.activate();
            for (int i = 1; i <= 20; i++) {
                Lsn lsn = INITDB.plus(8L * i);
                t.writer().put(Key.CHECKPOINT, lsn, Value.image(new byte[88]));
                t.writer().finishWrite(lsn);
            }
            t.checkpoint();
            tenant.addTimeline(t);
            Lsn expected = t.lastRecordLsn().plus(-80);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (t.gcCutoffLsn().compareTo(expected) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(t.gcCutoffLsn()).isEqualTo(expected);
            assertThat(t.get(Key.CHECKPOINT, t.lastRecordLsn())).hasSize(88);
        } finally {
            tenant.shutdown(false);
        }
    }
}
