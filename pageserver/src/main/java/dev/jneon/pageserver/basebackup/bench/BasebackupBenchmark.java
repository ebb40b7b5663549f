package dev.jneon.pageserver.basebackup.bench;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.basebackup.BasebackupCompression;
import dev.jneon.pageserver.basebackup.BasebackupMetrics;
import dev.jneon.pageserver.basebackup.Basebackups;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./jneon bench basebackup [--scale N] [--dir DIR]}: time from "start a compute" to its first
 * answered query for a pgbench database (scale 68 ≈ 1 GB), jneon (basebackup of a timeline the data
 * directory was imported into, piped into {@code tar -x}, then {@code pg_ctl start} and
 * {@code SELECT 1}) next to vanilla PostgreSQL 15 ({@code pg_basebackup -X fetch} of the running
 * original, then the same start and query). Prints figures; asserts nothing. Single-threaded; removes
 * its directory at the end.
 */
public final class BasebackupBenchmark {

    private final PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
    private final Path dir;

    private BasebackupBenchmark(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int scale = 68;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: bench basebackup [--scale N (pgbench scale, 68 ~ 1 GB)] [--dir DIR]");
                    System.exit(2);
                }
            }
        }
        Path work = dir == null ? Files.createTempDirectory("jneon-bench-basebackup") : Files.createDirectories(dir);
        try {
            new BasebackupBenchmark(work).run(scale);
        } finally {
            deleteTree(work);
        }
    }

    private void run(int scale) throws Exception {
        binaries.handOver(dir); // pg_basebackup, running as the Postgres user, creates its target here
        Path original = dir.resolve("original");
        long bytes;
        String expected;
        try (PgCluster pg = new PgCluster(binaries, original)) {
            pg.initdb(List.of("--data-checksums"));
            pg.configure(Map.of("fsync", "off", "autovacuum", "off", "max_wal_size", "'4GB'"));
            pg.start(freePort());
            long t0 = System.nanoTime();
            PgCluster.run(pg.binaries().command("pgbench", List.of("-i", "-s", Integer.toString(scale), "-q", "-h",
                    "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "postgres")),
                    Duration.ofHours(1));
            pg.psql("postgres", "CHECKPOINT");
            bytes = Long.parseLong(pg.psql("postgres", "SELECT sum(pg_database_size(oid)) FROM pg_database"));
            expected = pg.psql("postgres", "SELECT count(*) FROM pgbench_accounts");
            System.out.printf(Locale.ROOT, "database: pgbench scale %d, %.0f MB (all databases; built in %.1f s)%n",
                    scale, bytes / 1e6, seconds(t0));

            Path vanilla = dir.resolve("vanilla");
            long v0 = System.nanoTime();
            PgCluster.run(pg.binaries().command("pg_basebackup", List.of("-D", vanilla.toString(), "-X", "fetch",
                    "-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "--no-sync")),
                    Duration.ofHours(1));
            double vanillaCopy = seconds(v0);
            double[] vanillaStart = startAndQuery(vanilla, expected);
            print("vanilla PG15: pg_basebackup", vanillaCopy, vanillaStart, bytes);
            pg.stop("fast");
        }

        Lsn lsn = DataDirImport.controlFile(original).checkPoint().alignUp8();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, lsn, PgMajorVersion.PG15);
        Timeline timeline = TimelineLoader.create(dir.resolve("timeline"), TenantShardId.unsharded(TenantId.generate()),
                TimelineId.generate(), Generation.of(1), null, metadata, TenantConf.DEFAULTS, Clock.systemUTC());
        timeline.activate();
        try {
            long i0 = System.nanoTime();
            DataDirImport.importAt(original, timeline.writer(), lsn, PgMajorVersion.PG15);
            timeline.checkpoint();
            System.out.printf(Locale.ROOT, "(import of the stopped original into a timeline, flushed to layer files: %.1f s; "
                    + "not part of the start)%n", seconds(i0));

            Path compute = dir.resolve("compute");
            Files.createDirectories(compute);
            Files.setPosixFilePermissions(compute, PosixFilePermissions.fromString("rwx------"));
            var basebackups = new Basebackups(Duration.ofSeconds(10), BasebackupMetrics.unregistered(), Clock.systemUTC());
            long j0 = System.nanoTime();
            Process tar = new ProcessBuilder("tar", "-xf", "-", "-C", compute.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (OutputStream in = tar.getOutputStream()) {
                basebackups.stream(timeline, basebackups.resolve(timeline, Lsn.INVALID, false), BasebackupCompression.NONE,
                        in, j0);
            }
            if (tar.waitFor() != 0) {
                throw new IllegalStateException("tar -x exited with " + tar.exitValue());
            }
            double jneonCopy = seconds(j0);
            Files.writeString(compute.resolve("postgresql.conf"), "fsync = off\nautovacuum = off\n");
            double[] jneonStart = startAndQuery(compute, expected);
            print("jneon:        basebackup | tar -x", jneonCopy, jneonStart, bytes);
        } finally {
            timeline.shutdown(false);
        }
    }

    /** Starts PostgreSQL in {@code pgdata}, runs a first query and checks it; returns {start s, query s}. */
    private double[] startAndQuery(Path pgdata, String expectedAccounts) throws IOException {
        binaries.handOver(pgdata);
        try (PgCluster pg = new PgCluster(binaries, pgdata)) {
            long s0 = System.nanoTime();
            pg.start(freePort());
            double start = seconds(s0);
            long q0 = System.nanoTime();
            pg.psql("postgres", "SELECT 1");
            double query = seconds(q0);
            String accounts = pg.psql("postgres", "SELECT count(*) FROM pgbench_accounts");
            if (!accounts.equals(expectedAccounts)) {
                throw new IllegalStateException("started cluster has " + accounts + " accounts, expected " + expectedAccounts);
            }
            return new double[] {start, query};
        }
    }

    private static void print(String what, double copy, double[] start, long bytes) {
        System.out.printf(Locale.ROOT, "%-36s %6.2f s (%5.0f MB/s) + pg_ctl start %5.2f s + first query %5.3f s = %6.2f s%n",
                what, copy, bytes / 1e6 / copy, start[0], start[1], copy + start[0] + start[1]);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
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
