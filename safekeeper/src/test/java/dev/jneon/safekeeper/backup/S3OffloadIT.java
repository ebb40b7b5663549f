package dev.jneon.safekeeper.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.remote.ListRequest;
import dev.jneon.common.remote.ObjectServers;
import dev.jneon.common.remote.RemoteObject;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageConfig;
import dev.jneon.common.remote.RetryPolicy;
import dev.jneon.common.remote.RetryingRemoteStorage;
import dev.jneon.safekeeper.RealWal;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.Configuration;
import dev.jneon.safekeeper.acceptor.ServerInfo;
import dev.jneon.safekeeper.peers.Peers;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.TimelineStatus;
import dev.jneon.safekeeper.timeline.Timelines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WAL offload to a real S3-compatible server (s3rver): the elected offloader uploads full and
 * partial segments of real PostgreSQL 15 WAL, and {@link RemoteWal#read} reads them back by range.
 * The timeline runs in this JVM, driven by {@link InProcessProposer}.
 */
class S3OffloadIT {

    @RegisterExtension
    static final ObjectServers SERVERS = new ObjectServers();
    static final int SEG = RealWal.SEGMENT_SIZE;

    @Test
    void offloadsFullAndPartialSegmentsToS3AndReadsThemBack() throws Exception {
        var server = SERVERS.s3rver();
        var config = RemoteStorageConfig.S3.bucket(ObjectServers.BUCKET, "us-east-1")
                .withEndpoint(ObjectServers.s3Endpoint(server), new RemoteStorageConfig.S3Credentials("S3RVER", "S3RVER"))
                .withLayout(Optional.of(RemotePath.of("safekeepers")), java.util.OptionalInt.empty(),
                        RemoteStorageConfig.DEFAULT_PART_SIZE);
        Path data = Files.createTempDirectory("jneon-sk-s3");
        try (RealWal real = RealWal.create();
                var storage = new RetryingRemoteStorage(RemoteStorage.open(config), RetryPolicy.DEFAULT);
                var timelines = new Timelines(NodeId.of(1), data)) {
            var ttid = TenantTimelineId.generate();
            Lsn start = real.recordStarts().get(3);
            Timeline t = timelines.create(AcceptorState.create(ttid, Configuration.LEGACY_EMPTY,
                    new ServerInfo(150002, real.systemId(), SEG), start, start, 0));
            InProcessProposer.elect(t, real, start);
            InProcessProposer.append(t, real, start, real.end());
            var peers = new Peers();
            var remote = new RemoteWal(storage);
            long lastSeg = real.end().segmentNumber(SEG);
            Lsn lastFull = Lsn.ofSegment(lastSeg, SEG);
            try (var backup = new WalBackup(timelines, peers, remote, NodeId.of(1), Duration.ofMillis(200),
                    Duration.ofMillis(500), 128L << 20, new SimpleMeterRegistry())) {
                for (int i = 0; i < 600 && !t.status().backupLsn().equals(lastFull); i++) { // hang guard
                    publish(peers, t);
                    Thread.sleep(100);
                }
                RemotePath partial = RemoteWal.partial(ttid, lastSeg, SEG, t.status().lastLogTerm(), real.end(),
                        real.end(), NodeId.of(1));
                for (int i = 0; i < 600 && !keys(storage, ttid).contains(partial); i++) {
                    Thread.sleep(100);
                }
                assertThat(t.status().backupLsn()).isEqualTo(lastFull);
                assertThat(keys(storage, ttid)).contains(partial);
            }
            byte[] back = new byte[(int) lastFull.minus(start)];
            for (int off = 0; off < back.length; ) {
                off += remote.read(ttid, SEG, start.plus(off), back, off, Math.min(128 * 1024, back.length - off));
            }
            assertThat(back).isEqualTo(real.bytes(start, lastFull));
            assertThat(remote.read(ttid, SEG, lastFull, new byte[8], 0, 8)).as("not offloaded: nothing").isZero();
            remote.deleteTimeline(ttid);
            assertThat(keys(storage, ttid)).isEmpty();
        } finally {
            RealWal.deleteTree(data);
        }
    }

    static void publish(Peers peers, Timeline t) {
        TimelineStatus s = t.status();
        peers.record(new SafekeeperTimelineInfo(NodeId.of(1), t.ttid(), s.term().value(), s.lastLogTerm().value(),
                s.flushLsn(), s.commitLsn(), s.backupLsn(), s.remoteConsistentLsn(), s.peerHorizonLsn(),
                s.state().localStartLsn(), Lsn.INVALID, "", "", Optional.empty(), Optional.empty()));
    }

    static List<RemotePath> keys(RemoteStorage storage, TenantTimelineId ttid) throws Exception {
        return storage.list(ListRequest.under(RemoteWal.timelinePrefix(ttid))).objects().stream()
                .map(RemoteObject::path).toList();
    }
}
