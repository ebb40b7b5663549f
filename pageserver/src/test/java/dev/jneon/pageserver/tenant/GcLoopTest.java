package dev.jneon.pageserver.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.key.Key;
import dev.jneon.pageserver.timeline.Timeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tenant's periodic GC (knob gc_period): it moves a timeline's GC cutoff without anyone calling do_gc. */
class GcLoopTest {

    @TempDir
    Path dir;

    @Test
    void theLoopCollectsEveryGcPeriod() throws Exception {
        TenantShard tenant = TenantShard.create(dir.resolve("tenant"), TenantShardId.unsharded(TenantId.generate()),
                new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048,
                        Map.of("pitr_interval", "0", "gc_horizon", 80, "gc_period", "100ms")), Clock.systemUTC());
        try {
            assertThat(tenant.location().engineConf().gcPeriod()).isEqualTo(Duration.ofMillis(100));
            Timeline t = TenantFixture.root(tenant, 20);
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
