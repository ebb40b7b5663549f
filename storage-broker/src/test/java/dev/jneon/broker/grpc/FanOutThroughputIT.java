package dev.jneon.broker.grpc;

import static dev.jneon.broker.TestInfos.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Empty;
import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.api.broker.SafekeeperTimelineInfo;
import dev.jneon.api.broker.SubscribeSafekeeperInfoRequest;
import dev.jneon.broker.BrokerApp;
import dev.jneon.broker.Received;
import dev.jneon.common.broker.grpc.BrokerWire;
import dev.jneon.common.id.TenantTimelineId;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Prints how fast the real broker fans out over loopback: one publishing stream, several
 * all-timelines subscribers, every message delivered to each (queues are large enough not to
 * drop). Asserts only that everything arrived; the figures are for reading, not for judging.
 */
class FanOutThroughputIT {

    private static final int MESSAGES = 10_000;
    private static final int SUBSCRIBERS = 4;

    @Test
    void printsFanOutThroughput() throws Exception {
        try (var app = BrokerApp.start("jneon.broker.all-channel-capacity=" + MESSAGES)) {
            var stub = BrokerServiceGrpc.newStub(app.channel());
            List<Received<SubscribeSafekeeperInfoRequest, SafekeeperTimelineInfo>> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                var received = new Received<SubscribeSafekeeperInfoRequest, SafekeeperTimelineInfo>();
                BrokerServiceGrpc.newStub(app.channel()).subscribeSafekeeperInfo(
                        BrokerWire.subscribeRequest(Optional.empty()), received);
                subscribers.add(received);
            }
            await().atMost(Duration.ofSeconds(Received.WAIT_SECONDS))
                    .until(() -> app.metrics().activeSubscribers() == SUBSCRIBERS);
            var messages = new ArrayList<SafekeeperTimelineInfo>(MESSAGES);
            var ttids = new TenantTimelineId[1000];
            for (int i = 0; i < ttids.length; i++) {
                ttids[i] = TenantTimelineId.generate();
            }
            for (int i = 1; i <= MESSAGES; i++) {
                messages.add(BrokerWire.toProto(info(ttids[i % ttids.length], i % 3 + 1, i)));
            }

            long start = System.nanoTime();
            var publish = new Received<SafekeeperTimelineInfo, Empty>();
            var stream = stub.publishSafekeeperInfo(publish);
            messages.forEach(stream::onNext);
            stream.onCompleted();
            assertThat(publish.awaitEnd()).isEqualTo(Status.OK);
            long published = System.nanoTime();
            for (var s : subscribers) {
                for (int i = 1; i <= MESSAGES; i++) {
                    assertThat(s.next().getCommitLsn()).isEqualTo(i);
                }
            }
            long delivered = System.nanoTime();

            double publishSeconds = (published - start) / 1e9;
            double deliverSeconds = (delivered - start) / 1e9;
            System.out.printf("broker fan-out: %d messages (%d bytes each) published in %.2f s (%.0f msg/s); "
                            + "%d subscribers got all %d deliveries in %.2f s (%.0f deliveries/s), %d dropped%n",
                    MESSAGES, messages.get(0).getSerializedSize(), publishSeconds, MESSAGES / publishSeconds,
                    SUBSCRIBERS, MESSAGES * SUBSCRIBERS, deliverSeconds, MESSAGES * SUBSCRIBERS / deliverSeconds,
                    (long) app.metrics().droppedTotal());
            subscribers.forEach(Received::cancel);
        }
    }
}
