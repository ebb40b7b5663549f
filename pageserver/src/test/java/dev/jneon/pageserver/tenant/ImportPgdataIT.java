package dev.jneon.pageserver.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineState;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * import_pgdata from a local data directory: a cleanly shut down PostgreSQL 15 cluster becomes an
 * Active timeline whose last_record_lsn is the end of the shutdown checkpoint record (just past the
 * checkpoint location, with pg_control and the catalog pages stored), a retry with the same id
 * returns it, and a running cluster or a path without a cluster is refused with 400.
 */
class ImportPgdataIT {

    @TempDir
    Path dir;
    private TenantShard tenant;

    @AfterEach
    void stop() {
        if (tenant != null) {
            tenant.shutdown(false);
        }
    }

    @Test
    void importsACleanlyStoppedClusterAtTheEndOfItsCheckpointRecordAndRefusesOthers() throws Exception {
        tenant = TenantShard.create(dir.resolve("tenant"), TenantShardId.unsharded(TenantId.generate()),
                new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048, Map.of()), Clock.systemUTC());
        var creation = new TimelineCreation(dir, false, Duration.ofSeconds(1));
        try (PgCluster pg = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), dir.resolve("pgdata"))) {
            pg.initdb(List.of());
            PgControl control = DataDirImport.controlFile(pg.dataDir());
            TimelineId id = TimelineId.generate();

            Timeline t = creation.importPgdata(tenant, id, pg.dataDir());
            assertThat(t.state()).isEqualTo(TimelineState.ACTIVE);
            assertThat(t.lastRecordLsn()).isGreaterThan(control.checkPoint().plus(24))
                    .isLessThan(control.checkPoint().plus(8192));
            assertThat(t.diskConsistentLsn()).isEqualTo(t.lastRecordLsn());
            assertThat(t.initdbLsn()).isEqualTo(t.lastRecordLsn());
            assertThat(t.get(Key.CONTROL_FILE, t.lastRecordLsn()))
                    .isEqualTo(Files.readAllBytes(pg.dataDir().resolve("global/pg_control")));
            byte[] pgClassSize = t.get(Key.relSize(DbTag.GLOBAL.rel(1262, ForkNumber.MAIN)), t.lastRecordLsn());
            assertThat(pgClassSize[0] & 0xFF).as("pg_database blocks").isGreaterThan(0);
            assertThat(creation.importPgdata(tenant, id, pg.dataDir())).isSameAs(t);

            pg.start(freePort());
            assertThatThrownBy(() -> creation.importPgdata(tenant, TimelineId.generate(), pg.dataDir()))
                    .isInstanceOf(ApiError.BadRequest.class).hasMessageContaining("not shut down cleanly");
        }
        assertThatThrownBy(() -> creation.importPgdata(tenant, TimelineId.generate(), dir.resolve("nothing")))
                .isInstanceOf(ApiError.BadRequest.class).hasMessageContaining("not a PostgreSQL data directory");
        assertThat(tenant.timelines()).hasSize(1);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
