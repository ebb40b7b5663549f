package dev.jneon.safekeeper;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.wal.WalFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real PostgreSQL 15 WAL for tests: initdb, start, write about 40 MiB of WAL (so it crosses segment
 * ends, one of them through an XLOG_SWITCH), stop, and keep a copy of pg_wal. Record starts come
 * from {@code pg_waldump}, independent of our code. {@link #close()} deletes everything.
 *
 * @param recordStarts record start LSNs in order, as pg_waldump lists them
 * @param end end of the last record (independently computed from pg_waldump's lengths)
 */
public record RealWal(Path base, Path walDir, long systemId, List<Lsn> recordStarts, Lsn end) implements AutoCloseable {

    public static final int SEGMENT_SIZE = 16 * 1024 * 1024;
    private static final Pattern RECORD = Pattern.compile("len \\(rec/tot\\):\\s*\\d+/\\s*(\\d+), tx:.*?lsn: ([0-9A-F]+/[0-9A-F]+)");

    public static RealWal create() throws Exception {
        Path base = Files.createTempDirectory("jneon-sk-realwal");
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var cluster = new PgCluster(binaries, base.resolve("data"))) {
            cluster.initdb(List.of());
            cluster.configure(Map.of("fsync", "off", "wal_keep_size", "'1GB'"));
            cluster.start(port);
            cluster.psql("postgres", "create table t (id int, v text); "
                    + "insert into t select g, repeat('x', 400) from generate_series(1, 40000) g");
            cluster.psql("postgres", "select pg_switch_wal()"); // an XLOG_SWITCH record: the rest of its segment is skipped
            cluster.psql("postgres", "insert into t select g, repeat('y', 400) from generate_series(1, 40000) g");
            cluster.stop("fast");
        }
        Path wal = base.resolve("wal");
        Files.createDirectories(wal);
        try (Stream<Path> files = Files.list(base.resolve("data/pg_wal"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.copy(p, wal.resolve(p.getFileName()));
            }
        }
        String controldata = PgCluster.run(List.of(binaries.tool("pg_controldata").toString(), "-D",
                base.resolve("data").toString()), java.time.Duration.ofMinutes(1));
        Matcher sys = Pattern.compile("Database system identifier:\\s+(\\d+)").matcher(controldata);
        sys.find();
        long systemId = Long.parseUnsignedLong(sys.group(1));
        List<String> segments;
        try (Stream<Path> files = Files.list(wal)) {
            segments = files.map(p -> p.getFileName().toString()).filter(n -> n.length() == 24).sorted().toList();
        }
        Process p = new ProcessBuilder(binaries.tool("pg_waldump").toString(), "-p", wal.toString(), segments.getFirst(),
                segments.getLast())
                .redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<Lsn> starts = new ArrayList<>();
        long lastLen = 0;
        Matcher m = RECORD.matcher(dump);
        while (m.find()) {
            starts.add(Lsn.parse(m.group(2)));
            lastLen = Long.parseLong(m.group(1));
        }
        if (starts.size() < 1000) {
            throw new IllegalStateException("pg_waldump listed only " + starts.size() + " records:\n" + dump);
        }
        return new RealWal(base, wal, systemId, List.copyOf(starts), endOf(starts.getLast(), lastLen));
    }

    private static Lsn endOf(Lsn start, long totalLength) {
        long pos = start.value();
        long remaining = totalLength;
        while (remaining > 0) {
            long take = Math.min(remaining, WalFormat.PAGE_SIZE - (pos % WalFormat.PAGE_SIZE));
            pos += take;
            remaining -= take;
            if (remaining > 0) {
                pos += WalFormat.pageHeaderSize(pos, SEGMENT_SIZE);
            }
        }
        return Lsn.of(WalFormat.maxAlign(pos));
    }

    /** Postgres's WAL bytes of {@code [from, to)}. */
    public byte[] bytes(Lsn from, Lsn to) throws IOException {
        byte[] out = new byte[(int) to.minus(from)];
        int off = 0;
        while (off < out.length) {
            Lsn at = from.plus(off);
            int n = Math.min(out.length - off, SEGMENT_SIZE - at.segmentOffset(SEGMENT_SIZE));
            try (var f = new RandomAccessFile(walDir.resolve(WalFormat.segmentFileName(at.segmentNumber(SEGMENT_SIZE),
                    SEGMENT_SIZE)).toFile(), "r")) {
                f.seek(at.segmentOffset(SEGMENT_SIZE));
                f.readFully(out, off, n);
            }
            off += n;
        }
        return out;
    }

    /** A record boundary as the safekeeper reports it: a record start, or the page start before it. */
    public boolean isBoundary(Lsn lsn) {
        Lsn normal = lsn.isPageStart() ? lsn.plus(WalFormat.pageHeaderSize(lsn.value(), SEGMENT_SIZE)) : lsn;
        return lsn.equals(end) || java.util.Collections.binarySearch(recordStarts, normal) >= 0;
    }

    @Override
    public void close() throws IOException {
        deleteTree(base);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
