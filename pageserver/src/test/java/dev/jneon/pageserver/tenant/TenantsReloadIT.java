package dev.jneon.pageserver.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.pageserver.config.PageserverProperties;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pageserver restart: tenants, locations and timelines (with their ancestry) come back from the workdir. */
class TenantsReloadIT {

    @TempDir
    Path workdir;

    @Test
    void tenantsAndTimelinesReloadFromTheWorkdir() throws Exception {
        var properties = new PageserverProperties(workdir, Duration.ofMillis(100), false);
        TenantShardId id = TenantShardId.unsharded(TenantId.generate());
        TimelineId main = TimelineId.generate();
        TimelineId child = TimelineId.generate();
        Key block = Key.relBlock(new RelTag(1663, 5, 99999, ForkNumber.MAIN), 0);
        byte[] page = new byte[8192];
        Arrays.fill(page, (byte) 0x5A);
        Lsn written;
        Lsn initdb;

        Tenants tenants = new Tenants(properties);
        TenantShard tenant = tenants.attach(id, new LocationConf(LocationMode.AttachedSingle, Generation.of(7), 2048,
                Map.of("checkpoint_distance", 65536)));
        Timeline root = tenants.creation().bootstrap(tenant, main, PgMajorVersion.PG15);
        initdb = root.initdbLsn();
        Timeline branch = tenants.creation().branch(tenant, child, main, null);
        written = initdb.plus(0x100);
        branch.writer().put(block, written, Value.image(page));
        branch.writer().finishWrite(written);
        Files.createDirectories(tenant.timelinesDir().resolve(TimelineId.generate().toString())); // an unfinished creation
        tenants.shutdown(); // flushes the branch's in-memory layer

        Tenants reloaded = new Tenants(properties);
        TenantShard again = reloaded.active(id);
        assertThat(again.location().generation()).isEqualTo(Generation.of(7));
        assertThat(again.location().engineConf().checkpointDistance()).isEqualTo(65536);
        assertThat(again.timelines()).extracting(Timeline::timelineId).containsExactlyInAnyOrder(main, child);
        Timeline reloadedChild = again.timeline(child);
        assertThat(reloadedChild.ancestor()).isSameAs(again.timeline(main));
        assertThat(reloadedChild.lastRecordLsn()).isEqualTo(written);
        assertThat(reloadedChild.get(block, written)).isEqualTo(page);
        assertThat(reloadedChild.get(Key.CONTROL_FILE, written)).hasSize(8192); // from the ancestor's initdb image
        assertThat(again.timeline(main).diskConsistentLsn()).isEqualTo(initdb);
        try (var dirs = Files.list(again.timelinesDir())) {
            assertThat(dirs).hasSize(2);
        }
        reloaded.shutdown();
    }
}
