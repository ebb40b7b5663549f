package dev.jneon.broker.pubsub;

import static dev.jneon.broker.TestInfos.info;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.broker.ManualClock;
import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.MessageFilter;
import dev.jneon.common.broker.MessageType;
import dev.jneon.common.broker.SafekeeperDiscoveryRequest;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.TenantTimelineId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fan-out core without a transport: routing, filtering, bounded queues, latest state and its expiry. */
class PubSubTest {

    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMetrics metrics = new BrokerMetrics(registry);
    private final PubSub pubSub = new PubSub(8, 4, Duration.ofSeconds(5), clock, metrics);
    private final TenantTimelineId a = TenantTimelineId.generate();
    private final TenantTimelineId b = TenantTimelineId.generate();

    private static List<BrokerMessage> drain(Subscriber s) {
        List<BrokerMessage> out = new ArrayList<>();
        for (BrokerMessage m; (m = s.poll()) != null; ) {
            out.add(m);
        }
        return out;
    }

    private static long commit(BrokerMessage m) {
        return ((SafekeeperTimelineInfo) m).commitLsn().value();
    }

    @Test
    void allSubscribersGetEveryTimelineAndTimelineSubscribersOnlyTheirs() {
        Subscriber all = pubSub.subscribe(MessageFilter.allTimelineInfos(), () -> { });
        Subscriber onlyA = pubSub.subscribe(MessageFilter.timelineInfos(a), () -> { });

        pubSub.publish(info(a, 1, 100));
        pubSub.publish(info(b, 1, 200));

        assertThat(drain(all)).extracting(PubSubTest::commit).containsExactly(100L, 200L);
        assertThat(drain(onlyA)).extracting(PubSubTest::commit).containsExactly(100L);
        assertThat(registry.get("storage_broker.published.messages").tag("type", "safekeeper_timeline_info")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("storage_broker.broadcasted.messages").counter().count()).isEqualTo(3);
        assertThat(metrics.activeSubscribers()).isEqualTo(2);
    }

    @Test
    void filtersByType() {
        Subscriber discovery = pubSub.subscribe(
                new MessageFilter(Set.of(MessageType.SAFEKEEPER_DISCOVERY_REQUEST), Optional.empty()), () -> { });
        Subscriber nothing = pubSub.subscribe(new MessageFilter(Set.of(), Optional.empty()), () -> { });

        pubSub.publish(info(a, 1, 100));
        pubSub.publish(new SafekeeperDiscoveryRequest(a));

        assertThat(drain(discovery)).containsExactly(new SafekeeperDiscoveryRequest(a));
        assertThat(drain(nothing)).isEmpty();
    }

    @Test
    void aFullQueueDropsItsOldestMessagesAndCountsThem() {
        var wakeUps = new AtomicInteger();
        Subscriber slow = pubSub.subscribe(MessageFilter.timelineInfos(a), wakeUps::incrementAndGet);
        Subscriber fastAll = pubSub.subscribe(MessageFilter.allTimelineInfos(), () -> { });

        for (int i = 1; i <= 10; i++) {
            pubSub.publish(info(a, 1, i));
            assertThat(drain(fastAll)).extracting(PubSubTest::commit).containsExactly((long) i);
        }

        // Capacity 4 for one-timeline subscribers: the newest four remain.
        assertThat(drain(slow)).extracting(PubSubTest::commit).containsExactly(7L, 8L, 9L, 10L);
        assertThat(metrics.droppedTotal()).isEqualTo(6);
        assertThat(wakeUps).hasValue(10);
    }

    @Test
    void aLateTimelineSubscriberFirstGetsTheLatestInfoOfEachSafekeeper() {
        pubSub.publish(info(a, 1, 100));
        pubSub.publish(info(a, 2, 150));
        pubSub.publish(info(a, 1, 120));
        pubSub.publish(info(b, 3, 999));

        Subscriber late = pubSub.subscribe(MessageFilter.timelineInfos(a), () -> { });
        Subscriber lateAll = pubSub.subscribe(MessageFilter.allTimelineInfos(), () -> { });
        Subscriber lateDiscovery = pubSub.subscribe(
                new MessageFilter(Set.of(MessageType.SAFEKEEPER_DISCOVERY_REQUEST), Optional.of(a)), () -> { });

        assertThat(drain(late)).extracting(PubSubTest::commit).containsExactly(120L, 150L);
        assertThat(drain(lateAll)).as("no replay for all-timelines subscribers").isEmpty();
        assertThat(drain(lateDiscovery)).as("only matching types are replayed").isEmpty();
    }

    @Test
    void silentSafekeepersAreForgottenAfterTheTtl() {
        pubSub.publish(info(a, 1, 100));
        pubSub.publish(info(a, 2, 150));
        clock.advance(Duration.ofSeconds(3));
        pubSub.publish(info(a, 2, 160));
        clock.advance(Duration.ofSeconds(3)); // safekeeper 1 silent for 6 s, safekeeper 2 for 3 s

        Subscriber late = pubSub.subscribe(MessageFilter.timelineInfos(a), () -> { });
        assertThat(drain(late)).extracting(PubSubTest::commit).containsExactly(160L);

        pubSub.unsubscribe(late);
        clock.advance(Duration.ofSeconds(6));
        pubSub.publish(info(b, 1, 1)); // the sweep runs on a publish
        assertThat(pubSub.timelineCount()).as("only b's state remains").isEqualTo(1);
    }

    @Test
    void aTimelineChannelGoesWithItsLastSubscriberWhenNoStateIsLeft() {
        Subscriber s1 = pubSub.subscribe(MessageFilter.timelineInfos(a), () -> { });
        Subscriber s2 = pubSub.subscribe(MessageFilter.timelineInfos(a), () -> { });
        assertThat(pubSub.timelineCount()).isEqualTo(1);

        pubSub.unsubscribe(s1);
        assertThat(pubSub.timelineCount()).isEqualTo(1);
        pubSub.unsubscribe(s2);
        pubSub.unsubscribe(s2);
        assertThat(pubSub.timelineCount()).isZero();
        assertThat(metrics.activeSubscribers()).isZero();
    }

    @Test
    void closeEndsSubscribersAndPublishers() {
        var ended = new AtomicInteger();
        Subscriber s = pubSub.subscribe(MessageFilter.timelineInfos(a), ended::incrementAndGet);
        Publisher p = pubSub.openPublisher(ended::incrementAndGet);
        assertThat(metrics.activePublishers()).isEqualTo(1);

        pubSub.close();

        assertThat(s.closed()).isTrue();
        assertThat(ended).hasValue(2);
        p.close();
        p.close();
        assertThat(metrics.activePublishers()).isZero();
    }
}
