package dev.jneon.pageserver.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.importer.Initdb;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.TwoPhaseDirectory;
import dev.jneon.pageserver.value.Value;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
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
        Timeline timeline = ImportedTimeline.of(tmp.resolve("tl"), initdb);
        Lsn initdbLsn = timeline.initdbLsn();
        try {
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

    /**
     * Two-phase state the timeline keeps is shipped: the state file of a transaction prepared on a
     * real PG 15 (stored without its CRC, as WAL ingest stores PREPARE records) comes back as
     * {@code pg_twophase/%08X} with its CRC, and the compute can commit it.
     */
    @Test
    void preparedTransactionsTheTimelineKeepsSurviveTheBasebackup() throws Exception {
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        Path pgdata = tmp.resolve("primary");
        Path stateFile;
        try (PgCluster pg = new PgCluster(binaries, pgdata)) {
            pg.initdb(List.of());
            pg.configure(Map.of("max_prepared_transactions", "5", "fsync", "off"));
            pg.start(ComputeFromBasebackup.freePort());
            pg.psql("postgres", "CREATE TABLE t (a int)");
            pg.psql("postgres", "BEGIN; INSERT INTO t VALUES (7); PREPARE TRANSACTION 'p1'");
            pg.stop("fast");
            try (Stream<Path> files = Files.list(pgdata.resolve("pg_twophase"))) {
                List<Path> states = files.toList();
                assertThat(states).hasSize(1);
                stateFile = states.getFirst();
            }
        }
        long xid = Long.parseLong(stateFile.getFileName().toString(), 16);
        byte[] withCrc = Files.readAllBytes(stateFile);
        Timeline timeline = ImportedTimeline.of(tmp.resolve("tl"), pgdata);
        try {
            Lsn at = timeline.lastRecordLsn().plus(8);
            timeline.writer().put(Key.twoPhaseFile(xid), at, Value.image(Arrays.copyOf(withCrc, withCrc.length - 4)));
            timeline.writer().put(Key.TWO_PHASE_DIR, at,
                    Value.image(TwoPhaseDirectory.EMPTY.with(xid).encode(PgMajorVersion.PG15)));
            timeline.writer().finishWrite(at);
            Basebackups basebackups = new Basebackups(Duration.ofSeconds(2), BasebackupMetrics.unregistered(),
                    Clock.systemUTC());
            Path tar = tmp.resolve("basebackup.tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                basebackups.stream(timeline, basebackups.resolve(timeline, Lsn.INVALID, false), BasebackupCompression.NONE,
                        out, System.nanoTime());
            }
            Path compute = tmp.resolve("compute");
            try (var c = ComputeFromBasebackup.start(binaries, tar, compute, "max_prepared_transactions = 5\n")) {
                assertThat(Files.readAllBytes(compute.resolve("pg_twophase/" + stateFile.getFileName()))).isEqualTo(withCrc);
                assertThat(c.log()).doesNotContain("removing future two-phase state file");
                assertThat(c.pg.psql("postgres", "SELECT gid FROM pg_prepared_xacts")).isEqualTo("p1");
                assertThat(c.pg.psql("postgres", "SELECT count(*) FROM t")).isEqualTo("0");
                c.pg.psql("postgres", "COMMIT PREPARED 'p1'");
                assertThat(c.pg.psql("postgres", "SELECT sum(a) FROM t")).isEqualTo("7");
            }
        } finally {
            timeline.shutdown(false);
        }
    }
}
