package dev.jneon.safekeeper.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.remote.ByteRange;
import dev.jneon.common.remote.ListRequest;
import dev.jneon.common.remote.RemoteObject;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.safekeeper.RealWal;
import dev.jneon.safekeeper.control.ControlFileFormat;
import dev.jneon.safekeeper.control.FileControlFileStore;
import dev.jneon.safekeeper.grpc.SafekeeperClient;
import dev.jneon.safekeeper.grpc.TestProposer;
import dev.jneon.safekeeper.peers.Peers;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.TimelineStatus;
import dev.jneon.safekeeper.timeline.Timelines;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * WAL offload, removal and remote reads of an in-process safekeeper (node 1) with local-filesystem
 * remote storage, fed real PostgreSQL 15 WAL over gRPC. The broker's view is written into the
 * {@link Peers} bean by the test (as the broker subscription would), so it decides who the
 * offloader is: first another node, then this one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"jneon.grpc.port=0", "jneon.node.id=1", "jneon.safekeeper.backup.interval=200ms",
                "jneon.safekeeper.backup.partial-backup-timeout=1s"})
class WalOffloadIT {

    static final int SEG = RealWal.SEGMENT_SIZE;
    static RealWal real;
    static Path dataDir;
    static Path remoteDir;

    @LocalServerPort
    int httpPort;
    @Autowired
    GrpcServer grpc;
    @Autowired
    Peers peers;
    @Autowired
    Timelines timelines;
    @Autowired
    RemoteWal remote;
    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void dirs(DynamicPropertyRegistry registry) throws Exception {
        dataDir = Files.createTempDirectory("jneon-sk-offload");
        remoteDir = Files.createTempDirectory("jneon-sk-offload-remote");
        registry.add("jneon.safekeeper.data-dir", dataDir::toString);
        registry.add("jneon.safekeeper.remote-storage.local-path", remoteDir::toString);
    }

    @BeforeAll
    static void makeWal() throws Exception {
        real = RealWal.create();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        real.close();
        RealWal.deleteTree(dataDir);
        RealWal.deleteTree(remoteDir);
    }

    static Lsn start() {
        return real.recordStarts().get(3);
    }

    /** A record start in the last segment, some way before the end. */
    static Lsn mid() {
        long lastSeg = real.end().segmentNumber(SEG);
        return real.recordStarts().stream().filter(l -> l.segmentNumber(SEG) == lastSeg).toList().get(100);
    }

    SafekeeperTimelineInfo info(long node, TimelineStatus s, Lsn localStart) {
        return new SafekeeperTimelineInfo(NodeId.of(node), s.state().ttid(), s.term().value(), s.lastLogTerm().value(),
                s.flushLsn(), s.commitLsn(), s.backupLsn(), s.remoteConsistentLsn(), s.peerHorizonLsn(), localStart,
                Lsn.INVALID, "", "", Optional.empty(), Optional.empty());
    }

    /** Publishes this node's state and two peers'; peers whose local WAL starts at {@code peersStart}. */
    void publish(Timeline t, Lsn peersStart) {
        TimelineStatus s = t.status();
        peers.record(info(1, s, s.state().localStartLsn()));
        peers.record(info(2, s, peersStart));
        peers.record(info(3, s, peersStart));
    }

    static void await(String what, BooleanSupplier condition, Runnable meanwhile) throws InterruptedException {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) { // hang guard, not a timing assertion
            meanwhile.run();
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    List<RemotePath> remoteKeys(TenantTimelineId ttid) throws Exception {
        return remote.storage().list(ListRequest.under(RemoteWal.timelinePrefix(ttid))).objects().stream()
                .map(RemoteObject::path).toList();
    }

    byte[] remoteBytes(RemotePath path) throws Exception {
        try (InputStream in = remote.storage().get(path, ByteRange.ALL)) {
            return in.readAllBytes();
        }
    }

    /** A timeline id whose offloader, among nodes 1..3 all caught up, is not node 1. */
    static TenantTimelineId notMine() {
        while (true) {
            var ttid = TenantTimelineId.generate();
            if (new java.math.BigInteger(1, ttid.timelineId().toBytes()).mod(java.math.BigInteger.valueOf(3)).intValue() != 0) {
                return ttid;
            }
        }
    }

    @Test
    void offloadsFullAndPartialSegmentsRemovesLocalWalAndServesItFromRemoteStorage() throws Exception {
        var ttid = notMine();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        var sk = new SafekeeperClient(httpPort, channel);
        try (var p = new TestProposer(channel)) {
            sk.createTimeline(ttid, start(), real.systemId());
            p.electAndStream(ttid, real, start(), mid());
            Timeline t = timelines.get(ttid).orElseThrow();
            long lastSeg = mid().segmentNumber(SEG);
            RemotePath firstPartial = RemoteWal.partial(ttid, lastSeg, SEG, dev.jneon.safekeeper.acceptor.Term.of(1),
                    mid(), mid(), NodeId.of(1));

            // another node is the offloader: only this node's partial segment is uploaded
            await("partial segment uploaded", () -> keys(ttid).contains(firstPartial), () -> publish(t, start()));
            assertThat(remoteBytes(firstPartial)).isEqualTo(real.bytes(Lsn.ofSegment(lastSeg, SEG), mid()));
            assertThat(keys(ttid)).as("no full segment from a node that is not the offloader").containsExactly(firstPartial);
            assertThat(t.status().backupLsn()).isEqualTo(start());

            // the peers' WAL now starts above the backup LSN: this node is the only candidate
            p.streamFrom(real, mid(), real.end());
            Lsn lastFull = Lsn.ofSegment(lastSeg, SEG);
            await("full segments offloaded", () -> t.status().backupLsn().equals(lastFull),
                    () -> publish(t, lastFull.plus(SEG)));
            for (long segno = start().segmentNumber(SEG); segno < lastSeg; segno++) {
                assertThat(Arrays.equals(remoteBytes(RemoteWal.segment(ttid, segno, SEG)),
                        Files.readAllBytes(t.segmentFile(segno)))).as("segment %d offloaded byte for byte", segno).isTrue();
            }
            assertThat(ControlFileFormat.decode(Files.readAllBytes(t.dir().resolve(FileControlFileStore.FILE_NAME)))
                    .backupLsn()).as("backup_lsn persisted").isEqualTo(lastFull);
            RemotePath lastPartial = RemoteWal.partial(ttid, lastSeg, SEG, dev.jneon.safekeeper.acceptor.Term.of(1),
                    real.end(), real.end(), NodeId.of(1));
            await("the partial segment replaced", () -> keys(ttid).contains(lastPartial)
                    && !keys(ttid).contains(firstPartial), () -> { });
            assertThat(remoteBytes(lastPartial)).isEqualTo(real.bytes(lastFull, real.end()));
            assertThat(registry.counter("safekeeper.backup.segments.uploaded").count()).isEqualTo(lastSeg
                    - start().segmentNumber(SEG));

            // the pageserver's remote_consistent_lsn passes the backup LSN: local WAL below it goes
            assertThat(t.segmentFile(start().segmentNumber(SEG))).isNotNull();
            sk.reportRemoteConsistent(ttid, real.end(), real.end());
            long removable = lastSeg - start().segmentNumber(SEG);
            await("WAL removed below the horizon", () -> t.status().state().localStartLsn().equals(lastFull)
                    && registry.counter("safekeeper.wal.removed.segments").count() == removable, () -> { });
            for (long segno = start().segmentNumber(SEG); segno < lastSeg; segno++) {
                assertThat(t.segmentFile(segno)).as("segment %d removed", segno).isNull();
            }

            // StreamWal from the removed start reads the offloaded segments back
            var streamed = sk.stream(ttid, start(), real.end());
            assertThat(Arrays.equals(streamed.bytes(), real.bytes(start(), real.end()))).isTrue();
            assertThat(registry.counter("safekeeper.wal.remote.read").count()).isGreaterThanOrEqualTo(
                    lastFull.minus(start()));
        } finally {
            channel.shutdownNow();
        }
    }

    List<RemotePath> keys(TenantTimelineId ttid) {
        try {
            return remoteKeys(ttid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
