package dev.jneon.safekeeper.peers;

import dev.jneon.common.broker.Backoff;
import dev.jneon.common.broker.BrokerEndpoint;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.broker.grpc.BrokerClient;
import dev.jneon.common.broker.grpc.BrokerSubscription;
import dev.jneon.common.id.NodeId;
import dev.jneon.safekeeper.timeline.Timelines;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The safekeeper's pull side of the broker (spec G): one SubscribeSafekeeperInfo(all) stream,
 * reopened 1 s after a failure. Every message goes into {@link Peers} (its own echo too, which
 * proves broker connectivity); a peer's message for a timeline this node holds also raises the
 * timeline's backup, remote consistent and peer horizon LSNs (so WAL removal follows the offloader
 * and the pageserver's feedback given to any safekeeper). Thread-safe; owns its subscription and
 * broker channel.
 */
public final class PeerSubscriber implements AutoCloseable {

    private final BrokerClient client;
    private final BrokerSubscription subscription;

    public PeerSubscriber(String brokerEndpoint, NodeId self, Timelines timelines, Peers peers) {
        this.client = BrokerClient.connect(BrokerEndpoint.of("http://" + brokerEndpoint, List.of()));
        this.subscription = client.subscribeTimelineInfo(Optional.empty(), Backoff.fixed(Duration.ofSeconds(1)),
                info -> accept(info, self, timelines, peers));
    }

    private static void accept(SafekeeperTimelineInfo info, NodeId self, Timelines timelines, Peers peers) {
        peers.record(info);
        if (!info.safekeeperId().equals(self)) {
            timelines.get(info.ttid()).filter(t -> !t.isClosed()).ifPresent(t -> t.learnFromPeer(info.backupLsn(),
                    info.remoteConsistentLsn(), info.peerHorizonLsn()));
        }
    }

    @Override
    public void close() {
        subscription.close();
        client.close();
    }
}
