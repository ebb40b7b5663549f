package dev.jneon.pageserver.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.importer.Initdb;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeline bootstrapped from a real PG 15 initdb (with data checksums) serves a basebackup from
 * which a real PostgreSQL 15 starts without recovery, passes pg_amcheck and takes writes; the
 * metrics count it; bad LSNs are refused before any byte is written.
 */
class BasebackupIT {

    @TempDir
    Path tmp;

    @Test
    void postgresStartsFromTheBasebackupOfABootstrappedTimeline() throws Exception {
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        Path initdb = tmp.resolve("initdb");
        Initdb.run(binaries, initdb, true);
        Lsn initdbLsn = DataDirImport.controlFile(initdb).checkPoint().alignUp8();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, initdbLsn, PgMajorVersion.PG15);
        Timeline timeline = TimelineLoader.create(tmp.resolve("tl"), TenantShardId.unsharded(TenantId.generate()),
                TimelineId.generate(), Generation.of(1), null, metadata, TenantConf.DEFAULTS, Clock.systemUTC());
        timeline.activate();
        try {
            DataDirImport.importAt(initdb, timeline.writer(), initdbLsn, PgMajorVersion.PG15);
            BasebackupMetrics metrics = BasebackupMetrics.unregistered();
            Basebackups basebackups = new Basebackups(Duration.ofSeconds(2), metrics, Clock.systemUTC());

            assertThatThrownBy(() -> basebackups.resolve(timeline, initdbLsn.plus(4), true))
                    .isInstanceOf(ApiError.BadRequest.class).hasMessageContaining("8-aligned");
            assertThatThrownBy(() -> basebackups.resolve(timeline, Lsn.of(8), true))
                    .isInstanceOf(ApiError.BadRequest.class).hasMessageContaining("below the start");
            assertThatThrownBy(() -> basebackups.resolve(timeline, initdbLsn.plus(8192), true))
                    .isInstanceOf(ApiError.Unavailable.class).hasMessageContaining("timed out");

            BasebackupLsn at = basebackups.resolve(timeline, Lsn.INVALID, false);
            assertThat(at.lsn()).isEqualTo(initdbLsn);
            Path tar = tmp.resolve("basebackup.tar");
            Basebackup.Summary summary;
            try (OutputStream out = Files.newOutputStream(tar)) {
                summary = basebackups.stream(timeline, at, BasebackupCompression.NONE, out, System.nanoTime());
            }
            assertThat(metrics.served()).isEqualTo(1);
            assertThat(metrics.bytes()).isEqualTo(Files.size(tar));
            String listing = PgCluster.run(List.of("tar", "-tvf", tar.toString()), Duration.ofMinutes(1));
            assertThat(listing).contains("global/pg_control", "pg_wal/archive_status/", "base/1/PG_VERSION",
                    "global/pg_filenode.map", "pg_xact/0000").doesNotContain("postgresql.conf ");

            try (var compute = ComputeFromBasebackup.start(binaries, tar, tmp.resolve("compute"))) {
                assertThat(compute.log()).contains("database system was shut down at").doesNotContain("redo starts")
                        .doesNotContain("automatic recovery").doesNotContain("WARNING").doesNotContain("ERROR");
                var pg = compute.pg;
                assertThat(pg.psql("postgres", "select checkpoint_lsn from pg_control_checkpoint()"))
                        .isEqualTo(summary.checkpoint().checkpointLsn().toString());
                assertThat(Integer.parseInt(pg.psql("postgres", "select count(*) from pg_class"))).isGreaterThan(300);
                assertThat(pg.psql("postgres", "select string_agg(datname, ',' order by datname) from pg_database"))
                        .isEqualTo("postgres,template0,template1");
                compute.amcheck(true);
                pg.psql("postgres", "create table t (id int primary key, v text)");
                pg.psql("postgres", "insert into t select g, md5(g::text) from generate_series(1, 10000) g");
                assertThat(pg.psql("postgres", "select count(*), sum(id) from t")).isEqualTo("10000|50005000");
                pg.psql("postgres", "checkpoint");
                pg.stop("immediate");
                pg.start(ComputeFromBasebackup.freePort());
                assertThat(pg.psql("postgres", "select count(*) from t")).isEqualTo("10000");
                pg.psql("template1", "create database made_after");
            }
        } finally {
            timeline.shutdown(false);
        }
    }
}
