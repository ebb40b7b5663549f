package dev.jneon.pageserver.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.testing.PageComparison;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page oracle (issue 5): a real PostgreSQL 15 cluster with data checksums and
 * wal_consistency_checking=all (so every modified block carries an image) is imported into a
 * timeline right after initdb, runs a workload, checkpoints and stops cleanly; all of its WAL from
 * the initdb checkpoint is then ingested, and every page of every relation fork except FSM read
 * from the timeline at the last LSN must equal the page in the data files after masking what
 * PostgreSQL changes without WAL ({@link PageComparison}); every relation size must be equal.
 */
class PageOracleIT {

    private static final TenantShardId TENANT = TenantShardId.unsharded(TenantId.generate());

    @TempDir
    Path tmp;

    @Test
    void everyPageAfterAWorkloadMatchesPostgres() throws Exception {
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        Path pgdata = tmp.resolve("pgdata");
        try (PgCluster pg = new PgCluster(binaries, pgdata)) {
            pg.initdb(List.of("--data-checksums"));
            pg.configure(Map.of("wal_consistency_checking", "'all'", "wal_compression", "lz4", "fsync", "off",
                    "autovacuum", "off", "wal_keep_size", "'4GB'", "max_wal_size", "'4GB'"));
            PgControl control = DataDirImport.controlFile(pgdata);
            Lsn initdbLsn = control.checkPoint();
            var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, initdbLsn,
                    PgMajorVersion.PG15);
            Timeline timeline = TimelineLoader.create(tmp.resolve("tl"), TENANT, TimelineId.generate(),
                    Generation.of(1), null, metadata, TenantConf.DEFAULTS, Clock.systemUTC());
            timeline.activate();
            try {
                DataDirImport.importAt(pgdata, timeline.writer(), initdbLsn, PgMajorVersion.PG15);

                pg.start(freePort());
                workload(pg);
                pg.stop("fast");

                WalIngest ingest = new WalIngest(timeline, true);
                var ingested = new PgWalSource(pgdata.resolve("pg_wal"), control.build().xlogSegSize())
                        .ingest(initdbLsn, Lsn.MAX, ingest);
                PgControl stopped = DataDirImport.controlFile(pgdata);
                Lsn shutdown = stopped.checkPoint();
                System.out.printf("page oracle: ingested %d records up to %s (shutdown checkpoint at %s), stopped by %s%n",
                        ingested.records(), ingested.end(), shutdown, ingested.stoppedBy());
                assertThat(ingested.end()).isGreaterThan(shutdown);
                assertThat(timeline.lastRecordLsn()).isEqualTo(ingested.end());
                assertThat(ingest.checkPoint()).isEqualTo(stopped.checkPointCopy());
                assertThat(timeline.get(Key.CHECKPOINT, ingested.end())).isEqualTo(stopped.checkPointCopy().encode());

                PageComparison result = PageComparison.of(pgdata, timelinePages(timeline, ingested.end()));
                System.out.println("page oracle: " + result.summary());
                assertThat(result.sizeMismatches()).isEmpty();
                assertThat(result.mismatches()).isEmpty();
                assertThat(result.pages()).isGreaterThan(3000);
            } finally {
                timeline.shutdown(false);
            }
        }
    }

    private static void workload(PgCluster pg) {
        PgCluster.run(pg.binaries().command("pgbench", List.of("-i", "-s", "1", "-h", "127.0.0.1", "-p",
                Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "postgres")), Duration.ofMinutes(10));
        PgCluster.run(pg.binaries().command("pgbench", List.of("-t", "300", "-c", "2", "-h", "127.0.0.1", "-p",
                Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "postgres")), Duration.ofMinutes(10));
        for (String sql : List.of(
                "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, repeat('x', g % 100) FROM generate_series(1, 20000) g",
                "UPDATE t SET v = 'updated' WHERE id % 7 = 0",
                "DELETE FROM t WHERE id % 11 = 0",
                "VACUUM t",
                "CREATE INDEX t_v ON t (v)",
                "CREATE TABLE gone (a int)",
                "INSERT INTO gone SELECT generate_series(1, 1000)",
                "DROP TABLE gone",
                "CREATE TABLE cut (a int)",
                "INSERT INTO cut SELECT generate_series(1, 5000)",
                "TRUNCATE cut",
                "INSERT INTO cut VALUES (1)",
                "DELETE FROM t WHERE id > 15000",
                "VACUUM t",
                "VACUUM FREEZE t",
                "UPDATE t SET v = 'after freeze' WHERE id % 13 = 0",
                "DELETE FROM t WHERE id % 17 = 0",
                "INSERT INTO t VALUES (100001, 'new')",
                "SELECT * FROM t WHERE id % 19 = 0 FOR UPDATE")) {
            pg.psql("postgres", sql);
        }
        pg.psql("postgres", "CHECKPOINT");
    }

    /** The timeline's pages at {@code lsn}, read directly. */
    private static PageComparison.PageSource timelinePages(Timeline t, Lsn lsn) {
        return new PageComparison.PageSource() {
            @Override
            public boolean exists(RelTag rel) {
                return RelDirectory.decode(t.get(Key.relDir(new DbTag(rel.spcNode(), rel.dbNode())), lsn))
                        .contains(rel.relNode(), rel.fork());
            }

            @Override
            public int blocks(RelTag rel) {
                byte[] size = t.get(Key.relSize(rel), lsn);
                return (size[0] & 0xFF) | (size[1] & 0xFF) << 8 | (size[2] & 0xFF) << 16 | (size[3] & 0xFF) << 24;
            }

            @Override
            public List<byte[]> pages(RelTag rel, int count) {
                List<byte[]> pages = new ArrayList<>(count);
                for (int b = 0; b < count; b++) {
                    pages.add(t.get(Key.relBlock(rel, b), lsn));
                }
                return pages;
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
