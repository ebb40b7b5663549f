package dev.jneon.broker;

import static dev.jneon.broker.TestInfos.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jneon.common.broker.Backoff;
import dev.jneon.common.broker.BrokerEndpoint;
import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.MessageFilter;
import dev.jneon.common.broker.MessageType;
import dev.jneon.common.broker.SafekeeperDiscoveryRequest;
import dev.jneon.common.broker.SafekeeperDiscoveryResponse;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.broker.grpc.BrokerClient;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Common's broker client (dev.jneon.common.broker.grpc) against the real broker: the calls a
 * safekeeper and a pageserver make, and reconnection of subscriptions and the publishing stream
 * after the broker restarts on the same port.
 */
class BrokerClientIT {

    private static final Duration WAIT = Duration.ofSeconds(Received.WAIT_SECONDS);
    private static final Backoff FAST = Backoff.fixed(Duration.ofMillis(100));

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static <T> T next(LinkedBlockingQueue<T> queue) throws InterruptedException {
        T value = queue.poll(Received.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(value).as("a message within %d s", Received.WAIT_SECONDS).isNotNull();
        return value;
    }

    @Test
    void subscriptionsAndThePublisherReconnectAfterABrokerRestart() throws Exception {
        int port = freePort();
        var ttid = TenantTimelineId.generate();
        var infos = new LinkedBlockingQueue<SafekeeperTimelineInfo>();
        var discovery = new LinkedBlockingQueue<BrokerMessage>();
        var discoveryFilter = new MessageFilter(Set.of(MessageType.SAFEKEEPER_DISCOVERY_REQUEST), Optional.empty());

        var app = BrokerApp.start("jneon.grpc.port=" + port);
        try (var client = BrokerClient.connect(BrokerEndpoint.of("http://127.0.0.1:" + port, List.of()));
                var all = client.subscribeTimelineInfo(Optional.empty(), FAST, infos::add);
                var requests = client.subscribe(discoveryFilter, FAST, discovery::add);
                var publisher = client.publisher(FAST)) {
            BrokerApp first = app;
            await().atMost(WAIT).until(() -> first.metrics().activeSubscribers() == 2);

            assertThat(publisher.publish(info(ttid, 1, 10))).isTrue();
            assertThat(next(infos)).isEqualTo(info(ttid, 1, 10));
            client.publishOne(new SafekeeperDiscoveryRequest(ttid));
            assertThat(next(discovery)).isEqualTo(new SafekeeperDiscoveryRequest(ttid));

            app.close();
            app = BrokerApp.start("jneon.grpc.port=" + port);
            BrokerApp second = app;
            await().atMost(WAIT).until(() -> second.metrics().activeSubscribers() == 2);

            client.publishOne(new SafekeeperDiscoveryRequest(ttid));
            assertThat(next(discovery)).isEqualTo(new SafekeeperDiscoveryRequest(ttid));
            // The publishing stream notices the restart by failing, then reopens after its backoff.
            await().atMost(WAIT).until(() -> publisher.publish(info(ttid, 1, 20)) && publisher.established());
            assertThat(second.metrics().activePublishers()).isEqualTo(1);
            SafekeeperTimelineInfo got;
            do {
                got = next(infos);
            } while (got.commitLsn().value() != 20);
            assertThat(all.attempts()).isGreaterThan(1);
        } finally {
            app.close();
        }
    }

    @Test
    void aPageserverStyleSubscriptionGetsInfosAndDiscoveryResponsesOfItsTimeline() throws Exception {
        try (var app = BrokerApp.start();
                var client = BrokerClient.connect(BrokerEndpoint.of("http://127.0.0.1:" + app.grpcPort(), List.of()))) {
            var ttid = TenantTimelineId.generate();
            client.publishOne(info(ttid, 1, 10)); // before subscribing: replayed as latest state
            var received = new LinkedBlockingQueue<BrokerMessage>();
            var filter = new MessageFilter(
                    Set.of(MessageType.SAFEKEEPER_TIMELINE_INFO, MessageType.SAFEKEEPER_DISCOVERY_RESPONSE),
                    Optional.of(ttid));
            try (var subscription = client.subscribe(filter, Backoff.exponential(Duration.ofMillis(100),
                    Duration.ofSeconds(15)), received::add)) {
                assertThat(next(received)).isEqualTo(info(ttid, 1, 10));
                var response = new SafekeeperDiscoveryResponse(NodeId.of(2), ttid, Lsn.of(0x5000),
                        "127.0.0.1:5454", Optional.of("az-2"), Lsn.INVALID);
                client.publishOne(new SafekeeperDiscoveryRequest(ttid));
                client.publishOne(info(TenantTimelineId.generate(), 1, 10));
                client.publishOne(response);
                assertThat(next(received)).isEqualTo(response);
                assertThat(received).isEmpty();
            }
            await().atMost(WAIT).until(() -> app.metrics().activeSubscribers() == 0);
        }
    }
}
