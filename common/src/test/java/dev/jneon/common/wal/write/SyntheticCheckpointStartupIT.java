package dev.jneon.common.wal.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle for {@link SyntheticCheckpoint} and {@link PgControl#patchForShutdownCheckpoint}: a real
 * PostgreSQL 15 cluster whose pg_wal is replaced by nothing but the synthetic segment(s) must start
 * without recovery, keep its data, take writes, replay its own WAL after a crash starting at our
 * record, and write its first record right after ours (checked with pg_waldump).
 */
class SyntheticCheckpointStartupIT {

    private static final int SEG = 16 * 1024 * 1024;
    private static final int PAGE = 8192;
    private static final Pattern WALDUMP_RECORD = Pattern.compile("lsn: ([0-9A-F]+/[0-9A-F]+), prev ([0-9A-F]+/[0-9A-F]+), desc: (\\S+)");

    private static PgBinaries binaries;
    private static Path base;
    private static Path template;

    @BeforeAll
    static void cleanClusterWithData() throws Exception {
        binaries = PgBinaries.of(PgMajorVersion.PG15);
        base = Files.createTempDirectory("jneon-synthetic-ckpt");
        template = base.resolve("template");
        try (var cluster = new PgCluster(binaries, template)) {
            cluster.initdb(List.of("--data-checksums"));
            cluster.configure(Map.of("fsync", "off", "wal_keep_size", "'1GB'"));
            cluster.start(freePort());
            cluster.psql("postgres", "create table t (id int primary key, payload text);"
                    + " insert into t select g, repeat('x', g % 50) from generate_series(1, 1000) g;");
            cluster.psql("postgres", "begin; insert into t values (5000, 'aborted'); rollback;");
            cluster.psql("postgres", "create index t_payload on t (payload)");
            cluster.psql("postgres", "vacuum t");
            cluster.stop("fast");
        }
        Files.deleteIfExists(template.resolve("postgres.log"));
    }

    @AfterAll
    static void removeTemp() throws IOException {
        if (base != null) {
            deleteTree(base);
        }
    }

    @Test
    void realShutdownCheckpointRecordIsExactlyWhatWeBuild() throws IOException {
        PgControl control = PgControl.parse(Files.readAllBytes(template.resolve("global/pg_control")));
        var read = WalBytes.readRecord(WalBytes.pgWal(template.resolve("pg_wal"), SEG), SEG, control.checkPoint().value());
        byte[] real = read.bytes();
        assertThat(real).hasSize(SyntheticCheckpoint.RECORD_LENGTH);
        long prev = ByteBuffer.wrap(real).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
        CheckPoint decoded = CheckPoint.decode(real, 26);
        assertThat(decoded).isEqualTo(control.checkPointCopy());
        byte[] built = new MainDataRecord(0, Lsn.of(prev), SyntheticCheckpoint.XLOG_CHECKPOINT_SHUTDOWN,
                SyntheticCheckpoint.RM_XLOG_ID, decoded.encode()).encode();
        assertThat(built).isEqualTo(real);
    }

    static Stream<Arguments> placements() {
        return Stream.of(
                placement("real end of WAL", e -> e, true),
                placement("exactly on a page boundary", e -> ahead(e) + 5 * PAGE, true),
                placement("exactly on a segment boundary", SyntheticCheckpointStartupIT::ahead, true),
                placement("56 bytes before a page end", e -> ahead(e) + 6 * PAGE - 56, true),
                placement("8 bytes before a page end", e -> ahead(e) + 6 * PAGE - 8, true),
                placement("120 bytes before a page end, record ends on it", e -> ahead(e) + 6 * PAGE - 120, true),
                placement("48 bytes before a segment end", e -> ahead(e) + SEG - 48, true),
                placement("8 bytes before a segment end", e -> ahead(e) + SEG - 8, true),
                placement("inside a segment's first page", e -> ahead(e) + 512, true),
                placement("mid-page with prev unknown (0)", e -> ahead(e) + 3 * PAGE + 1000, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void postgresStartsFromTheSyntheticCheckpoint(String name, LongUnaryOperator placeX, boolean knownPrev) throws Exception {
        Path dir = base.resolve("case-" + Integer.toHexString(name.hashCode()));
        PgCluster.run(List.of("cp", "-a", template.toString(), dir.toString()), Duration.ofMinutes(1));
        try {
            PgControl control = PgControl.parse(Files.readAllBytes(dir.resolve("global/pg_control")));
            Lsn last = control.checkPoint();
            long realEnd = WalBytes.readRecord(WalBytes.pgWal(dir.resolve("pg_wal"), SEG), SEG, last.value()).endRecPtr();
            Lsn x = Lsn.of(placeX.applyAsLong(realEnd));
            Lsn prev = knownPrev ? last : Lsn.INVALID;
            SyntheticCheckpoint synthetic = SyntheticCheckpoint.build(x, prev, control.checkPointCopy(),
                    control.systemIdentifier(), control.build().xlogSegSize(), Instant.now());
            replaceWal(dir, synthetic, control);
            Lsn c = synthetic.checkpointLsn();

            try (var cluster = new PgCluster(binaries, dir)) {
                cluster.start(freePort());
                String startLog = Files.readString(dir.resolve("postgres.log"));
                assertThat(startLog).contains("database system was shut down at").doesNotContain("redo starts")
                        .doesNotContain("automatic recovery");
                assertThat(cluster.psql("postgres", "select pg_is_in_recovery()")).isEqualTo("f");
                assertThat(cluster.psql("postgres", "select checkpoint_lsn, redo_lsn from pg_control_checkpoint()"))
                        .isEqualTo(c + "|" + c);
                assertThat(cluster.psql("postgres", "select count(*), sum(id) from t")).isEqualTo("1000|500500");
                assertThat(cluster.psql("postgres", "select payload from t where id = 49")).isEqualTo("x".repeat(49));
                cluster.psql("postgres", "insert into t select g, 'new' from generate_series(1001, 1100) g");
                cluster.stop("immediate");

                cluster.start(freePort());
                // redo = the checkpoint record itself, so replay starts with the record after it
                assertThat(Files.readString(dir.resolve("postgres.log")))
                        .contains("redo starts at " + synthetic.nextRecordLsn());
                assertThat(cluster.psql("postgres", "select count(*), sum(id) from t")).isEqualTo("1100|605550");
                cluster.psql("postgres", "insert into t values (2000, 'after recovery'); checkpoint;");
                assertThat(cluster.psql("postgres", "select count(*) from t where payload = 'after recovery'")).isEqualTo("1");
                cluster.stop("fast");
            }

            List<String[]> records = walDump(dir.resolve("pg_wal"), c, 2);
            assertThat(records.get(0)).containsExactly(c.toString(), prev.toString(), "CHECKPOINT_SHUTDOWN");
            assertThat(records.get(1)[0]).as("first record of the compute").isEqualTo(synthetic.nextRecordLsn().toString());
            assertThat(records.get(1)[1]).as("its xl_prev").isEqualTo(c.toString());
        } finally {
            deleteTree(dir);
        }
    }

    private static Arguments placement(String name, LongUnaryOperator x, boolean knownPrev) {
        return Arguments.of(name, x, knownPrev);
    }

    /** The start of the segment two after the one holding {@code end}: a later LSN, as pg_resetwal -l may pick. */
    private static long ahead(long end) {
        return (end / SEG + 2) * SEG;
    }

    private static void replaceWal(Path dir, SyntheticCheckpoint synthetic, PgControl control) throws IOException {
        Path wal = dir.resolve("pg_wal");
        try (Stream<Path> files = Files.list(wal)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        for (WalSegmentFile segment : synthetic.segments()) {
            Files.write(wal.resolve(segment.name()), segment.content());
        }
        Files.write(dir.resolve("global/pg_control"), control.patchForShutdownCheckpoint(synthetic.checkpointLsn(),
                synthetic.checkPoint(), Instant.now()));
        Files.deleteIfExists(dir.resolve("postgres.log"));
        binaries.handOver(dir);
    }

    /** (lsn, prev, description) of the first {@code count} records from {@code start}, via pg_waldump. */
    private static List<String[]> walDump(Path walDir, Lsn start, int count) {
        String out = PgCluster.run(List.of(binaries.tool("pg_waldump").toString(), "-p", walDir.toString(), "-s",
                start.toString(), "-n", Integer.toString(count)), Duration.ofMinutes(1));
        List<String[]> records = out.lines().map(WALDUMP_RECORD::matcher).filter(Matcher::find)
                .map(m -> new String[] {Lsn.parse(m.group(1)).toString(), Lsn.parse(m.group(2)).toString(), m.group(3)})
                .toList();
        assertThat(records).as("pg_waldump output:\n%s", out).hasSize(count);
        return records;
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
