package dev.jneon.pageserver.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
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
 * PostgreSQL changes without WAL ({@link PageMask}); every relation size must be equal.
 */
class PageOracleIT {


    @TempDir
    Path tmp;

    @Test
    void everyPageAfterAWorkloadMatchesPostgres() throws Exception {
        Path pgdata = tmp.resolve("pgdata");
        try (PgCluster pg = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), pgdata)) {
            InitdbTimeline initdb = InitdbTimeline.create(pg, Map.of("wal_consistency_checking", "'all'",
                    "wal_compression", "lz4", "fsync", "off", "autovacuum", "off", "wal_keep_size", "'4GB'",
                    "max_wal_size", "'4GB'", "max_prepared_transactions", "5"), tmp.resolve("tl"), TenantConf.DEFAULTS);
            Timeline timeline = initdb.timeline();
            try {
                pg.start(InitdbTimeline.freePort());
                workload(pg);
                DbTag walLogged = new DbTag(RelTag.DEFAULT_TABLESPACE,
                        Integer.parseInt(pg.psql("postgres", "SELECT oid FROM pg_database WHERE datname = 'logged'")));
                pg.stop("fast");

                WalIngest ingest = new WalIngest(timeline, true);
                var ingested = initdb.wal(pg).ingest(initdb.initdbLsn(), Lsn.MAX, ingest);
                PgControl stopped = DataDirImport.controlFile(pgdata);
                Lsn shutdown = stopped.checkPoint();
                System.out.printf("page oracle: ingested %d records up to %s (shutdown checkpoint at %s), stopped by %s%n",
                        ingested.records(), ingested.end(), shutdown, ingested.stoppedBy());
                assertThat(ingested.end()).isGreaterThan(shutdown);
                assertThat(timeline.lastRecordLsn()).isEqualTo(ingested.end());
                assertThat(ingest.checkPoint()).isEqualTo(stopped.checkPointCopy());
                assertThat(timeline.get(Key.CHECKPOINT, ingested.end())).isEqualTo(stopped.checkPointCopy().encode());

                PageOracle result = PageOracle.compare(timeline, pgdata, ingested.end());
                System.out.println("page oracle: " + result.summary());
                assertThat(result.structural).isEmpty();
                assertThat(result.mismatches).isEmpty();
                assertThat(result.pages).isGreaterThan(3000);
                assertThat(result.slruPages).isGreaterThanOrEqualTo(3);
                assertThat(result.twoPhaseFiles).isEqualTo(1);
                assertThat(result.vmSubsetsByDb.keySet()).as("VM pages with fewer bits (see PageOracle)")
                        .containsOnly(walLogged);
            } finally {
                timeline.shutdown(false);
            }
        }
    }

    private static void workload(PgCluster pg) throws Exception {
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
                "SELECT * FROM t WHERE id % 19 = 0 FOR UPDATE",
                // GiST: an empty index filled by inserts, so its pages split one by one
                "CREATE TABLE pts (id int, p point)",
                "CREATE INDEX pts_gist ON pts USING gist (p)",
                "INSERT INTO pts SELECT g, point(g % 173, g / 173) FROM generate_series(1, 30000) g",
                "DELETE FROM pts WHERE id % 5 = 0",
                "CREATE UNLOGGED TABLE ul (a int PRIMARY KEY, b text)",
                "INSERT INTO ul SELECT g, 'u' || g FROM generate_series(1, 3000) g",
                // a vacuum that truncates a frozen table's deleted tail: SMGR TRUNCATE cuts the VM as well
                "CREATE TABLE shrink (a int, b text)",
                "INSERT INTO shrink SELECT g, repeat('s', 200) FROM generate_series(1, 40000) g",
                "VACUUM FREEZE shrink",
                "DELETE FROM shrink WHERE a > 777",
                "VACUUM shrink",
                "CREATE TABLE twophase (a int)",
                "CREATE DATABASE copied STRATEGY FILE_COPY",
                "CREATE DATABASE logged STRATEGY WAL_LOG",
                "CREATE DATABASE gone_copy STRATEGY FILE_COPY",
                "CREATE DATABASE gone_logged STRATEGY WAL_LOG")) {
            pg.psql("postgres", sql);
        }
        for (String db : List.of("copied", "logged", "gone_logged")) {
            pg.psql(db, "CREATE TABLE inner_t (a int PRIMARY KEY, b text)");
            pg.psql(db, "INSERT INTO inner_t SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
            pg.psql(db, "UPDATE inner_t SET b = 'x' WHERE a % 3 = 0");
        }
        pg.psql("postgres", "DROP DATABASE gone_copy");
        pg.psql("postgres", "DROP DATABASE gone_logged");
        multixacts(pg);
        preparedTransactions(pg);
        pg.psql("postgres", "CHECKPOINT");
        assertThat(Long.parseLong(pg.psql("postgres", "SELECT next_multixact_id FROM pg_control_checkpoint()")))
                .as("the workload created multixacts").isGreaterThan(2);
        assertThat(Long.parseLong(pg.psql("postgres", "SELECT pg_relation_size('pts_gist') / 8192")))
                .as("the GiST index split").isGreaterThan(10);
    }

    /** Two sessions share-lock the same rows (multixacts), then one of them updates some. */
    private static void multixacts(PgCluster pg) throws Exception {
        try (Connection a = DriverManager.getConnection(pg.jdbcUrl("postgres"));
                Connection b = DriverManager.getConnection(pg.jdbcUrl("postgres"))) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            for (int round = 0; round < 3; round++) {
                try (Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
                    sa.execute("SELECT * FROM t WHERE id <= 3000 AND id % 3 = " + round + " FOR SHARE");
                    sb.execute("SELECT * FROM t WHERE id <= 3000 AND id % 3 = " + round + " FOR KEY SHARE");
                    a.commit();
                    sb.execute("UPDATE t SET v = 'after multi' WHERE id <= 300 AND id % 3 = " + round);
                    b.commit();
                }
            }
        }
    }

    /** One prepared transaction committed, one rolled back, one left prepared over the shutdown. */
    private static void preparedTransactions(PgCluster pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"));
                Statement s = c.createStatement()) {
            for (String gid : List.of("committed", "rolled_back", "left")) {
                s.execute("BEGIN");
                s.execute("INSERT INTO twophase SELECT generate_series(1, 100)");
                s.execute("SAVEPOINT sp");
                s.execute("INSERT INTO twophase VALUES (-1)");
                s.execute("RELEASE SAVEPOINT sp");
                s.execute("PREPARE TRANSACTION '" + gid + "'");
            }
            s.execute("COMMIT PREPARED 'committed'");
            s.execute("ROLLBACK PREPARED 'rolled_back'");
        }
    }
}
