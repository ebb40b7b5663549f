package dev.jneon.pageserver.walreceiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.broker.Backoff;
import dev.jneon.common.broker.BrokerEndpoint;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.broker.grpc.BrokerClient;
import dev.jneon.common.broker.grpc.TimelineInfoPublisher;
import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.testing.ServiceProcess;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import dev.jneon.pageserver.value.Value;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link WalReceiver} against a real storage broker (the storage-broker jar): it learns of the
 * safekeepers from the timeline infos published for its timeline (not from another timeline's),
 * connects to the one with the highest commit LSN first, and as its connections keep failing also
 * to the other one, while the first backs off longer each time. The WAL streams are in-memory and fail at once, so
 * only the choice and its wiring are under test.
 */
class WalReceiverBrokerIT {

    @TempDir
    Path dir;

    @Test
    void connectsToTheMostAdvancedSafekeeperHeardOfAndMovesOnWhenItFails() throws Exception {
        TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
        Timeline timeline = TimelineLoader.create(dir.resolve("tl"), tenant, TimelineId.generate(), Generation.of(1),
                null, new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, Lsn.of(0x28),
                        PgMajorVersion.PG15), TenantConf.DEFAULTS, Clock.systemUTC());
        timeline.writer().put(Key.CHECKPOINT, Lsn.of(0x28), Value.image(new byte[88]));
        timeline.writer().finishWrite(Lsn.of(0x28));
        timeline.activate();
        TenantTimelineId ttid = new TenantTimelineId(tenant.tenantId(), timeline.timelineId());
        List<String> opened = new CopyOnWriteArrayList<>();
        WalStream.Opener failing = (connstr, id, start) -> {
            assertThat(id).isEqualTo(ttid);
            opened.add(connstr);
            throw new WalStreamException("refused by the test", null);
        };
        var metrics = new WalReceiverMetrics(new SimpleMeterRegistry());
        try (var broker = new ServiceProcess("storage-broker", "broker", dir).start();
                var client = BrokerClient.connect(BrokerEndpoint.of("http://127.0.0.1:" + broker.grpcPort(), List.of()));
                var publisher = client.publisher(Backoff.fixed(Duration.ofMillis(100)))) {
            var receiver = new WalReceiver(timeline, client, WalReceiverConf.DEFAULTS, failing, metrics, Clock.systemUTC())
                    .start();
            try {
                TenantTimelineId other = TenantTimelineId.generate();
                for (int i = 0; i < 600 && !(opened.contains("sk1:1") && opened.size() >= 3); i++) {
                    publisher.publish(info(9, other, 0x9000, "other:1"));
                    publisher.publish(info(2, ttid, 0x2000, "sk2:1"));
                    publisher.publish(info(1, ttid, 0x1000, "sk1:1"));
                    Thread.sleep(100);
                }
            } finally {
                receiver.close();
            }
        } finally {
            timeline.shutdown(false);
        }
        assertThat(opened).hasSizeGreaterThanOrEqualTo(3).doesNotContain("other:1");
        assertThat(opened.getFirst()).isEqualTo("sk2:1");
        assertThat(opened).contains("sk1:1");
        assertThat(metrics.switches(SwitchReason.NO_EXISTING_CONNECTION)).isEqualTo(opened.size());
    }

    private static SafekeeperTimelineInfo info(long sk, TenantTimelineId ttid, long commit, String connstr) {
        Lsn c = Lsn.of(commit);
        return new SafekeeperTimelineInfo(NodeId.of(sk), ttid, 1, 1, c, c, Lsn.INVALID, Lsn.INVALID, Lsn.INVALID,
                Lsn.of(0x28), Lsn.INVALID, connstr, "127.0.0.1:1", Optional.empty(), Optional.empty());
    }
}
