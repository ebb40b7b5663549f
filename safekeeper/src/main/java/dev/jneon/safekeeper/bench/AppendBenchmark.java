package dev.jneon.safekeeper.bench;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.wal.write.MainDataRecord;
import dev.jneon.common.wal.write.WalSegmentFile;
import dev.jneon.common.wal.write.WalSegmentWriter;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.Configuration;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.Greeting;
import dev.jneon.safekeeper.acceptor.ProposerMessage.ProposerElected;
import dev.jneon.safekeeper.acceptor.ProposerMessage.VoteRequest;
import dev.jneon.safekeeper.acceptor.ServerInfo;
import dev.jneon.safekeeper.acceptor.Term;
import dev.jneon.safekeeper.acceptor.TermHistory;
import dev.jneon.safekeeper.acceptor.TermSwitch;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.Timelines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./jneon bench safekeeper-append}: one safekeeper's append path (acceptor, segmented WAL
 * store, fsync before the response) fed 8 KiB WAL records one append at a time, as a walproposer
 * with one commit in flight does, next to a plain 8 KiB write + fdatasync loop over a preallocated
 * file on the same disk.
 * Prints throughput (MB/s) and per-append latency p50/p99. The WAL is synthetic but valid (our
 * WAL writer, logical-message records) so the store's record-boundary tracking runs as in production.
 * gRPC is left out: this measures the disk path the issue asks about, not the network.
 *
 * <p>Usage: {@code AppendBenchmark [--appends N] [--dir D]} (default 4000 appends, a temp dir).
 */
public final class AppendBenchmark {

    private static final int SEGMENT = 16 << 20;
    private static final int RECORD = 8192;
    private static final int RM_LOGICALMSG = 21;
    private static final long SYSTEM_ID = 7_000_000_000_000_000_001L;

    private AppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int appends = 4000;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--appends" -> appends = Integer.parseInt(args[i + 1]);
                case "--dir" -> parent = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory(parent, "jneon-sk-append-bench");
        try {
            Lsn start = Lsn.of(SEGMENT + 40);
            var wal = syntheticWal(start, appends);
            long[] safekeeper = safekeeperAppends(dir.resolve("sk"), start, wal);
            long[] plain = plainWrites(dir.resolve("plain.bin"), appends);
            System.out.printf("%d appends of %d KiB each, fsync per append, in %s%n", appends, RECORD / 1024, dir);
            print("safekeeper append (acceptor + WAL store + fsync)", safekeeper, wal.bytes().length);
            print("baseline write + fdatasync", plain, (long) appends * RECORD);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** WAL bytes from {@code start} and the LSN where each record ends (each append ends at one). */
    private record Wal(byte[] bytes, List<Lsn> recordEnds) {
    }

    private static Wal syntheticWal(Lsn start, int records) {
        var writer = new WalSegmentWriter(SYSTEM_ID, SEGMENT, start);
        List<Lsn> ends = new ArrayList<>();
        Lsn prev = Lsn.INVALID;
        byte[] payload = new byte[RECORD - 24 - 5];
        for (int i = 0; i < records; i++) {
            Arrays.fill(payload, (byte) i);
            prev = writer.append(new MainDataRecord(0, prev, 0, RM_LOGICALMSG, payload).encode());
            ends.add(writer.nextRecordLsn());
        }
        Lsn end = writer.endLsn();
        var out = new ByteArrayOutputStream();
        for (WalSegmentFile f : writer.finish()) {
            out.writeBytes(f.content());
        }
        byte[] all = out.toByteArray();
        int from = start.segmentOffset(SEGMENT);
        return new Wal(Arrays.copyOfRange(all, from, from + (int) end.minus(start)), ends);
    }

    private static long[] safekeeperAppends(Path dataDir, Lsn start, Wal wal) throws IOException {
        Files.createDirectories(dataDir);
        var ttid = TenantTimelineId.generate();
        try (var timelines = new Timelines(new NodeId(1), dataDir)) {
            Timeline t = timelines.create(AcceptorState.create(ttid, Configuration.LEGACY_EMPTY,
                    new ServerInfo(150000, SYSTEM_ID, SEGMENT), start, start, System.currentTimeMillis() * 1000));
            Term term = Term.of(1);
            t.process(new Greeting(ttid, Configuration.LEGACY_EMPTY, 150000, SYSTEM_ID, SEGMENT));
            t.process(new VoteRequest(0, term));
            t.process(new ProposerElected(0, term, start, TermHistory.of(new TermSwitch(term, start))));
            long[] nanos = new long[wal.recordEnds().size()];
            Lsn begin = start;
            for (int i = 0; i < nanos.length; i++) {
                Lsn end = wal.recordEnds().get(i);
                byte[] chunk = Arrays.copyOfRange(wal.bytes(), (int) begin.minus(start), (int) end.minus(start));
                long t0 = System.nanoTime();
                t.process(new AppendRequest(0, term, begin, end, begin, Lsn.INVALID, chunk));
                t.flush();
                nanos[i] = System.nanoTime() - t0;
                begin = end;
            }
            return nanos;
        }
    }

    private static long[] plainWrites(Path file, int appends) throws IOException {
        long[] nanos = new long[appends];
        var buffer = ByteBuffer.allocateDirect(RECORD);
        try (var ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // Preallocated and synced first, as WAL segments are, so fdatasync has no size change to flush.
            var zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long written = 0; written < (long) appends * RECORD; written += zeros.capacity()) {
                zeros.clear();
                ch.write(zeros, written);
            }
            ch.force(true);
            ch.position(0);
            for (int i = 0; i < appends; i++) {
                buffer.clear();
                long t0 = System.nanoTime();
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(false);
                nanos[i] = System.nanoTime() - t0;
            }
        }
        return nanos;
    }

    private static void print(String what, long[] nanos, long bytes) {
        long total = Arrays.stream(nanos).sum();
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-50s %8.1f MB/s   p50 %7.1f us   p99 %8.1f us%n", what,
                bytes / 1e6 / (total / 1e9), sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3);
    }
}
