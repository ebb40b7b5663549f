package dev.jneon.broker.pubsub;

import dev.jneon.common.broker.MessageType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's meters, named after Neon's: {@code storage_broker_published_messages_total{type}},
 * {@code storage_broker_broadcasted_messages_total} (messages queued for a subscriber),
 * {@code storage_broker_broadcast_drops_total} (messages a lagging subscriber lost),
 * {@code storage_broker_active_publishers} and {@code storage_broker_active_subscribers}. Drops are
 * also logged, at most once per second with the count since the last warning. Thread-safe.
 */
public final class BrokerMetrics {

    private static final Logger log = LoggerFactory.getLogger(BrokerMetrics.class);
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Map<MessageType, Counter> published = new EnumMap<>(MessageType.class);
    private final Counter broadcasted;
    private final Counter drops;
    private final AtomicInteger publishers = new AtomicInteger();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AtomicLong dropsSinceWarning = new AtomicLong();
    private final AtomicLong lastWarningNanos;

    public BrokerMetrics(MeterRegistry registry) {
        for (MessageType type : MessageType.values()) {
            published.put(type, Counter.builder("storage_broker.published.messages")
                    .description("Messages published to the broker")
                    .tag("type", type.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        broadcasted = Counter.builder("storage_broker.broadcasted.messages")
                .description("Messages queued for delivery to a subscriber").register(registry);
        drops = Counter.builder("storage_broker.broadcast.drops")
                .description("Messages lost by subscribers too slow to keep up").register(registry);
        Gauge.builder("storage_broker.active.publishers", publishers, AtomicInteger::get)
                .description("Open publishing streams").register(registry);
        Gauge.builder("storage_broker.active.subscribers", subscribers, AtomicInteger::get)
                .description("Open subscriptions").register(registry);
        lastWarningNanos = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    }

    void published(MessageType type) {
        published.get(type).increment();
    }

    void offered(Subscriber.Offered outcome) {
        switch (outcome) {
            case SKIPPED -> {
            }
            case QUEUED -> broadcasted.increment();
            case QUEUED_DROPPING_OLDEST -> {
                broadcasted.increment();
                dropped();
            }
        }
    }

    private void dropped() {
        drops.increment();
        dropsSinceWarning.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarningNanos.compareAndSet(last, now)) {
            log.warn("{} messages dropped for subscribers that do not keep up", dropsSinceWarning.getAndSet(0));
        }
    }

    void publisherOpened() {
        publishers.incrementAndGet();
    }

    void publisherClosed() {
        publishers.decrementAndGet();
    }

    void subscriberOpened() {
        subscribers.incrementAndGet();
    }

    void subscriberClosed() {
        subscribers.decrementAndGet();
    }

    public int activeSubscribers() {
        return subscribers.get();
    }

    public int activePublishers() {
        return publishers.get();
    }

    public double droppedTotal() {
        return drops.count();
    }
}
