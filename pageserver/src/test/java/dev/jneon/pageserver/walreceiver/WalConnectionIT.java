package dev.jneon.pageserver.walreceiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.wal.SegmentDirectory;
import dev.jneon.pageserver.tenant.LocationConf;
import dev.jneon.pageserver.tenant.LocationMode;
import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.TimelineCreation;
import dev.jneon.pageserver.timeline.Timeline;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link WalConnection} fed by an in-memory {@link WalStream} with a real PostgreSQL 15's WAL,
 * written after the cluster was imported: chunks of odd sizes (records and page headers split
 * anywhere) are decoded and ingested up to the last record, feedback reports what was received and
 * what is on disk, keepalives asking for a reply get one, and a StreamEnd ends the connection
 * normally; a chunk that does not continue the previous one ends it with an error, nothing ingested.
 */
class WalConnectionIT {

    private static final int SEG = 16 << 20;

    @TempDir
    Path dir;
    private TenantShard tenant;
    private Timeline timeline;
    private PgCluster pg;
    private Lsn start;
    /** Where the first record after the import starts: what the connection asks for. */
    private Lsn from;
    private Lsn end;

    @BeforeEach
    void importAndWrite() throws Exception {
        tenant = TenantShard.create(dir.resolve("tenant"), TenantShardId.unsharded(TenantId.generate()),
                new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048, Map.of()), Clock.systemUTC());
        pg = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), dir.resolve("pgdata"));
        pg.initdb(List.of());
        pg.configure(Map.of("wal_consistency_checking", "'all'", "fsync", "off", "autovacuum", "off",
                "wal_keep_size", "'1GB'"));
        timeline = new TimelineCreation(dir, false, Duration.ofSeconds(1)).importPgdata(tenant, TimelineId.generate(),
                pg.dataDir());
        start = timeline.lastRecordLsn();
        from = start.alignUp8();
        pg.start(freePort());
        pg.psql("postgres", "CREATE TABLE t (a int PRIMARY KEY, b text)");
        pg.psql("postgres", "INSERT INTO t SELECT g, repeat('y', g % 50) FROM generate_series(1, 3000) g");
        pg.stop("fast");
        var outcome = new SegmentDirectory(pg.dataDir().resolve("pg_wal"), SEG).decode(from, Lsn.MAX, r -> { });
        end = outcome.end();
        assertThat(outcome.records()).as("records after %s (%s) in %s", from, outcome.error(),
                java.util.Arrays.toString(pg.dataDir().resolve("pg_wal").toFile().list())).isGreaterThan(100);
    }

    @AfterEach
    void stop() {
        if (pg != null) {
            pg.close();
        }
        if (tenant != null) {
            tenant.shutdown(false);
        }
    }

    @Test
    void ingestsChunksSplitAnywhereAndReportsFeedback() throws Exception {
        Queue<SafekeeperMessage> messages = new ArrayDeque<>();
        byte[] wal = read(from, end);
        int[] sizes = {1, 23, 8192, 5000, 131072, 7};
        for (int off = 0, i = 0; off < wal.length; i++) {
            int n = Math.min(sizes[i % sizes.length], wal.length - off);
            messages.add(new SafekeeperMessage.WalChunk(from.plus(off), end, java.util.Arrays.copyOfRange(wal, off, off + n)));
            off += n;
        }
        int chunks = messages.size();
        messages.add(new SafekeeperMessage.KeepAlive(end, true));
        messages.add(new SafekeeperMessage.StreamEnd("caught up"));
        var stream = new FakeStream(messages);
        var events = new Recorder();

        Throwable cause = run(stream, events);

        assertThat(cause).isNull();
        assertThat(stream.startedAt).isEqualTo(from);
        assertThat(timeline.lastRecordLsn()).isEqualTo(end);
        assertThat(events.connected).isTrue();
        assertThat(events.processed).isPositive();
        assertThat(events.receivedBytes).isEqualTo(wal.length);
        assertThat(stream.feedback).hasSize(chunks + 1);
        PageserverFeedback last = stream.feedback.getLast();
        assertThat(last.lastReceivedLsn()).isEqualTo(end);
        assertThat(last.diskConsistentLsn()).isEqualTo(timeline.diskConsistentLsn());
        assertThat(last.remoteConsistentLsn()).isEqualTo(Lsn.INVALID);
        assertThat(last.currentTimelineSize()).isPositive();
        assertThat(last.corruptionDetected()).isFalse();
        assertThat(stream.closed).isTrue();
    }

    @Test
    void aChunkThatSkipsBytesEndsTheConnectionWithNothingIngested() throws Exception {
        byte[] wal = read(from, end);
        Queue<SafekeeperMessage> messages = new ArrayDeque<>();
        messages.add(new SafekeeperMessage.WalChunk(from.plus(8), end, java.util.Arrays.copyOfRange(wal, 8, wal.length)));
        var stream = new FakeStream(messages);

        Throwable cause = run(stream, new Recorder());

        assertThat(cause).isInstanceOf(WalStreamException.class).hasMessageContaining("expected " + from);
        assertThat(timeline.lastRecordLsn()).isEqualTo(start);
        assertThat(stream.closed).isTrue();
    }

    private Throwable run(FakeStream stream, Recorder events) throws Exception {
        var connection = new WalConnection(timeline, NodeId.of(1), "fake:1", stream, events, Clock.systemUTC());
        connection.start();
        return events.ended.get(2, TimeUnit.MINUTES).orElse(null);
    }

    private byte[] read(Lsn first, Lsn to) throws Exception {
        byte[] out = new byte[(int) to.minus(first)];
        int done = 0;
        while (done < out.length) {
            Lsn at = first.plus(done);
            String name = String.format("%08X%08X%08X", 1, at.segmentNumber(SEG) / 256, at.segmentNumber(SEG) % 256);
            try (var f = new RandomAccessFile(pg.dataDir().resolve("pg_wal").resolve(name).toFile(), "r")) {
                f.seek(at.segmentOffset(SEG));
                int n = (int) Math.min(out.length - done, SEG - at.segmentOffset(SEG));
                f.readFully(out, done, n);
                done += n;
            }
        }
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A WalStream over a fixed list of messages; then it fails like a closed stream. */
    private static final class FakeStream implements WalStream, WalStream.Opener {
        final Queue<SafekeeperMessage> messages;
        final List<PageserverFeedback> feedback = Collections.synchronizedList(new ArrayList<>());
        volatile Lsn startedAt;
        volatile boolean closed;

        FakeStream(Queue<SafekeeperMessage> messages) {
            this.messages = messages;
        }

        @Override
        public WalStream open(String connstr, TenantTimelineId ttid, Lsn start) {
            startedAt = start;
            return this;
        }

        @Override
        public SafekeeperMessage next(Duration wait) {
            SafekeeperMessage m = messages.poll();
            if (m == null) {
                throw new WalStreamException("no more messages", null);
            }
            return m;
        }

        @Override
        public void send(PageserverFeedback f) {
            feedback.add(f);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class Recorder implements WalConnection.Events {
        final CompletableFuture<java.util.Optional<Throwable>> ended = new CompletableFuture<>();
        volatile boolean connected;
        volatile int processed;
        volatile long receivedBytes;

        @Override
        public void connected(WalConnection c) {
            connected = true;
        }

        @Override
        public void walReceived(WalConnection c, Lsn streamingLsn, Lsn commitLsn, int bytes) {
            receivedBytes += bytes;
        }

        @Override
        public void keepAlive(WalConnection c, Lsn commitLsn) {
        }

        @Override
        public void walProcessed(WalConnection c) {
            processed++;
        }

        @Override
        public void ended(WalConnection c, Throwable cause) {
            ended.complete(java.util.Optional.ofNullable(cause));
        }
    }
}
