package dev.jneon.common.wal.bench;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.wal.BlockReference;
import dev.jneon.common.wal.SegmentDirectory;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): makes at least {@code --mb} (default 256) MB of real PostgreSQL 15 WAL
 * with pgbench under wal_consistency_checking=all and wal_compression=lz4, then times this
 * decoder over it (decode only, and decode plus restoring every image) and pg_waldump over the
 * same range ({@code -q}, and full text output to /dev/null), best of five interleaved runs each, and prints
 * MB/s, records/s and the ratios. Everything it starts and writes is removed at the end.
 * Usage: {@code WalDecodeBenchmark [--mb N]}.
 */
public final class WalDecodeBenchmark {

    private static final int RUNS = 5;

    private WalDecodeBenchmark() {}

    public static void main(String[] args) throws Exception {
        long targetMb = args.length == 2 && args[0].equals("--mb") ? Long.parseLong(args[1]) : 256;
        Path base = Files.createTempDirectory("jneon-wal-bench");
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        try (PgCluster cluster = new PgCluster(binaries, base.resolve("data"))) {
            cluster.initdb(List.of("--data-checksums"));
            cluster.configure(Map.of("wal_consistency_checking", "'all'", "wal_compression", "lz4", "fsync", "off",
                    "wal_keep_size", "'16GB'", "max_wal_size", "'16GB'", "checkpoint_timeout", "'1h'", "autovacuum",
                    "off", "synchronous_commit", "off"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            cluster.start(port);
            Lsn start = Lsn.parse(cluster.psql("postgres", "select pg_current_wal_insert_lsn()"));
            pgbench(binaries, port, List.of("-i", "-s", "10", "-q"));
            Lsn last = Lsn.parse(cluster.psql("postgres", "select pg_current_wal_insert_lsn()"));
            int rounds = 0;
            while (last.minus(start) < targetMb << 20) {
                pgbench(binaries, port, List.of("-n", "-c", "2", "-j", "2", "-t", "5000"));
                rounds++;
                last = Lsn.parse(cluster.psql("postgres", "select pg_current_wal_insert_lsn()"));
            }
            Lsn end = last;
            cluster.stop("fast");
            Path pgWal = cluster.dataDir().resolve("pg_wal");
            double mb = end.minus(start) / 1048576.0;
            System.out.printf("WAL: %s..%s, %.1f MB (pgbench -i -s 10, then %d rounds of pgbench -c 2 -t 5000)%n",
                    start, end, mb, rounds);

            long[] counts = new long[2];
            Path tool = binaries.tool("pg_waldump");
            List<String> range = List.of("-p", pgWal.toString(), "-s", start.toString(), "-e", end.toString());
            double[] best = best(List.of(() -> decode(pgWal, start, end, false, counts),
                    () -> decode(pgWal, start, end, true, counts), () -> waldump(tool, range, "-q"),
                    () -> waldump(tool, range, null)));
            double decodeSec = best[0];
            double restoreSec = best[1];
            double quietSec = best[2];
            double textSec = best[3];

            System.out.printf("records: %d, images: %d%n", counts[0], counts[1]);
            row("jneon WalDecoder (decode)", mb, counts[0], decodeSec);
            row("jneon WalDecoder (decode + restore images)", mb, counts[0], restoreSec);
            row("pg_waldump -q", mb, counts[0], quietSec);
            row("pg_waldump > /dev/null", mb, counts[0], textSec);
            System.out.printf("throughput ratio, WalDecoder decode / pg_waldump -q: %.2f%n", quietSec / decodeSec);
            System.out.printf("throughput ratio, WalDecoder decode+restore / pg_waldump -q: %.2f%n", quietSec / restoreSec);
            System.out.printf("throughput ratio, WalDecoder decode / pg_waldump text: %.2f%n", textSec / decodeSec);
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    /** Runs each variant {@link #RUNS} times, interleaved so load from elsewhere hits all alike; best times. */
    private static double[] best(List<Run> runs) throws Exception {
        double[] best = new double[runs.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int i = 0; i < RUNS; i++) {
            for (int v = 0; v < runs.size(); v++) {
                long t0 = System.nanoTime();
                runs.get(v).run();
                best[v] = Math.min(best[v], (System.nanoTime() - t0) / 1e9);
            }
        }
        return best;
    }

    private static void decode(Path pgWal, Lsn start, Lsn end, boolean restore, long[] counts) throws IOException {
        long[] c = new long[2];
        byte[] page = new byte[8192];
        SegmentDirectory.Outcome outcome = new SegmentDirectory(pgWal, Lsn.DEFAULT_SEGMENT_SIZE).decode(start, end,
                (WalRecord r) -> {
                    c[0]++;
                    for (BlockReference b : r.blocks()) {
                        if (b.hasImage()) {
                            c[1]++;
                            if (restore) {
                                b.image().restoreInto(page);
                            }
                        }
                    }
                });
        WalDecodeException error = outcome.error();
        if (error != null) {
            throw new IllegalStateException("decoding failed", error);
        }
        counts[0] = c[0];
        counts[1] = c[1];
    }

    private static void waldump(Path tool, List<String> range, String flag) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
        if (flag != null) {
            cmd.add(flag);
        }
        cmd.addAll(range);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pg_waldump failed: " + cmd);
        }
    }

    private static void pgbench(PgBinaries binaries, int port, List<String> args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(binaries.tool("pgbench").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", PgCluster.SUPERUSER));
        cmd.addAll(args);
        cmd.add("postgres");
        PgCluster.run(cmd, Duration.ofMinutes(20));
    }

    private static void row(String what, double mb, long records, double sec) {
        System.out.printf("%-45s %8.3f s %9.1f MB/s %12.0f records/s%n", what, sec, mb / sec, records / sec);
    }
}
