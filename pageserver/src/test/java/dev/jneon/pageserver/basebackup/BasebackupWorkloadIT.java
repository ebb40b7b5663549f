package dev.jneon.pageserver.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.ingest.PgWalSource;
import dev.jneon.pageserver.ingest.WalIngest;
import dev.jneon.pageserver.timeline.Timeline;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The basebackup oracle: a real PostgreSQL 15 (data checksums, wal_consistency_checking=all) runs
 * pgbench and DDL (CREATE TABLE + index, TRUNCATE, DROP, DELETE + VACUUM, an unlogged table) on a
 * timeline imported right after initdb; its WAL is ingested; a PostgreSQL started from the
 * basebackup at the end of that WAL dumps exactly what the original dumped and passes
 * {@code pg_amcheck --heapallindexed}; one started from the basebackup at an LSN captured
 * mid-workload dumps exactly the state of that moment, until GC moves the cutoff past it.
 */
class BasebackupWorkloadIT {

    /** Unlogged data is not in WAL and vanishes with every compute, so its rows are left out of the dumps. */
    private static final List<String> DUMP_ARGS = List.of("--exclude-table-data=scratch");

    @TempDir
    Path tmp;

    @Test
    void computesFromBasebackupsSeeExactlyTheStateAtTheirLsn() throws Exception {
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        Path pgdata = tmp.resolve("primary");
        try (PgCluster pg = new PgCluster(binaries, pgdata)) {
            pg.initdb(List.of("--data-checksums"));
            pg.configure(Map.of("wal_consistency_checking", "'all'", "wal_compression", "lz4", "fsync", "off",
                    "autovacuum", "off", "wal_keep_size", "'4GB'", "max_wal_size", "'4GB'"));
            PgControl control = DataDirImport.controlFile(pgdata);
            Timeline timeline = ImportedTimeline.of(tmp.resolve("tl"), pgdata);
            try {
                pg.start(ComputeFromBasebackup.freePort());

                pgbench(pg, List.of("-i", "-s", "1"));
                pgbench(pg, List.of("-T", "4", "-c", "2"));
                pg.psql("postgres", "CREATE TABLE marker (id int PRIMARY KEY, v text)");
                pg.psql("postgres", "INSERT INTO marker SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
                Lsn earlier = Lsn.parse(pg.psql("postgres", "SELECT pg_current_wal_insert_lsn()"));
                String earlierDump = dump(pg);

                for (String sql : List.of(
                        "INSERT INTO marker SELECT g, 'late' FROM generate_series(1001, 3000) g",
                        "CREATE TABLE t (id int PRIMARY KEY, v text)",
                        "INSERT INTO t SELECT g, repeat('x', g % 100) FROM generate_series(1, 20000) g",
                        "CREATE INDEX t_v ON t (v)",
                        "UPDATE t SET v = 'updated' WHERE id % 7 = 0",
                        "DELETE FROM t WHERE id % 11 = 0",
                        "VACUUM t",
                        "CREATE TABLE cut (a int)",
                        "INSERT INTO cut SELECT generate_series(1, 5000)",
                        "TRUNCATE cut",
                        "INSERT INTO cut VALUES (42)",
                        "CREATE TABLE gone (a int)",
                        "INSERT INTO gone SELECT generate_series(1, 1000)",
                        "DROP TABLE gone",
                        "CREATE UNLOGGED TABLE scratch (a int PRIMARY KEY)",
                        "INSERT INTO scratch SELECT generate_series(1, 100)",
                        "DELETE FROM pgbench_history WHERE tid % 2 = 0",
                        "VACUUM")) {
                    pg.psql("postgres", sql);
                }
                String finalDump = dump(pg);
                pg.stop("fast");

                var ingested = new PgWalSource(pgdata.resolve("pg_wal"), control.build().xlogSegSize())
                        .ingest(timeline.initdbLsn(), Lsn.MAX, new WalIngest(timeline, true));
                assertThat(timeline.lastRecordLsn()).isEqualTo(ingested.end()).isGreaterThan(earlier);

                Basebackups basebackups = new Basebackups(Duration.ofSeconds(10), BasebackupMetrics.unregistered(),
                        Clock.systemUTC());
                Path latestTar = tmp.resolve("latest.tar.zst");
                try (OutputStream out = Files.newOutputStream(latestTar)) {
                    basebackups.stream(timeline, basebackups.resolve(timeline, ingested.end(), false),
                            BasebackupCompression.ZSTD, out, System.nanoTime());
                }
                Path latestPlain = tmp.resolve("latest.tar");
                PgCluster.run(List.of("zstd", "-q", "-d", latestTar.toString(), "-o", latestPlain.toString()),
                        Duration.ofMinutes(2));
                try (var compute = ComputeFromBasebackup.start(binaries, latestPlain, tmp.resolve("latest"))) {
                    assertThat(compute.log()).contains("database system was shut down at").doesNotContain("redo starts");
                    assertThat(dump(compute.pg)).isEqualTo(finalDump);
                    System.out.println("basebackup oracle: pg_amcheck --heapallindexed: " + compute.amcheck(true).lines()
                            .reduce((a, b) -> b).orElse(""));
                    assertThat(compute.pg.psql("postgres", "SELECT count(*) FROM scratch")).isEqualTo("0");
                    compute.pg.psql("postgres", "INSERT INTO scratch VALUES (1); INSERT INTO t VALUES (100001, 'new')");
                    assertThat(compute.pg.psql("postgres", "SELECT count(*) FROM marker")).isEqualTo("3000");
                }

                assertThatThrownBy(() -> basebackups.resolve(timeline, earlier, false))
                        .isInstanceOf(ApiError.BadRequest.class).hasMessageContaining("a primary must start");
                Path earlierTar = tmp.resolve("earlier.tar");
                try (OutputStream out = Files.newOutputStream(earlierTar)) {
                    basebackups.stream(timeline, basebackups.resolve(timeline, earlier, true), BasebackupCompression.NONE,
                            out, System.nanoTime());
                }
                try (var compute = ComputeFromBasebackup.start(binaries, earlierTar, tmp.resolve("earlier"))) {
                    assertThat(compute.pg.psql("postgres", "SELECT count(*) FROM marker")).isEqualTo("1000");
                    assertThat(dump(compute.pg)).isEqualTo(earlierDump);
                    compute.amcheck(true);
                }

                timeline.checkpoint();
                TenantConf d = TenantConf.DEFAULTS;
                timeline.setConf(new TenantConf(d.checkpointDistance(), d.checkpointTimeout(), d.compactionThreshold(),
                        d.compactionUpperLimit(), d.imageCreationThreshold(), d.imageLayerCreationCheckThreshold(), 0,
                        Duration.ZERO, d.gcPeriod()));
                timeline.gc(0, List.of());
                assertThat(timeline.gcCutoffLsn()).isGreaterThan(earlier);
                assertThatThrownBy(() -> basebackups.resolve(timeline, earlier, true))
                        .isInstanceOf(ApiError.BadRequest.class).hasMessageContaining("below the GC cutoff");
            } finally {
                timeline.shutdown(false);
            }
        }
    }

    private static void pgbench(PgCluster pg, List<String> args) {
        List<String> all = new java.util.ArrayList<>(args);
        all.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "postgres"));
        PgCluster.run(pg.binaries().command("pgbench", all), Duration.ofMinutes(10));
    }

    private static String dump(PgCluster pg) {
        return ComputeFromBasebackup.dump(pg, "postgres", DUMP_ARGS);
    }
}
