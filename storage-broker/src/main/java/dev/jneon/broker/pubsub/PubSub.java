package dev.jneon.broker.pubsub;

import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.MessageFilter;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.TenantTimelineId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker's fan-out. A message published goes to every "all timelines" subscriber and to the
 * subscribers of its timeline; each subscriber has its own bounded queue ({@code allCapacity} for
 * all-timeline subscribers, {@code timelineCapacity} for one-timeline subscribers, Neon's channel
 * sizes 16384 and 32) that drops its oldest message when full, so publishers never block and a
 * slow subscriber only loses its own messages. A timeline's channel exists while it has
 * subscribers or recent state and is removed with the last of both.
 *
 * <p>jneon addition to Neon's no-replay behaviour: the latest {@link SafekeeperTimelineInfo} of
 * each (timeline, safekeeper) is kept until that safekeeper has been silent for
 * {@code latestTtl}, and a new subscriber of one timeline first receives those latest infos, so a
 * pageserver can pick a safekeeper at once instead of waiting for the next round of pushes.
 * "All timelines" subscribers get no replay. Nothing is persisted.
 *
 * <p>Thread-safe. Per-timeline changes (publish to its subscribers, subscribe with replay) run in
 * {@link ConcurrentHashMap#compute} for that timeline, so a new subscriber never sees an older
 * info after a newer one. Silent safekeepers are swept at most once per {@code latestTtl}, by
 * whichever publisher comes first.
 */
public final class PubSub implements AutoCloseable {

    /** Neon's capacity of the channel of all-timeline subscribers. */
    public static final int DEFAULT_ALL_CAPACITY = 16384;
    /** Neon's capacity of a per-timeline channel. */
    public static final int DEFAULT_TIMELINE_CAPACITY = 32;
    /** How long a safekeeper's latest info is kept without a newer one. */
    public static final Duration DEFAULT_LATEST_TTL = Duration.ofSeconds(5);

    private final int allCapacity;
    private final int timelineCapacity;
    private final Duration latestTtl;
    private final InstantSource clock;
    private final BrokerMetrics metrics;
    private final Set<Subscriber> allSubscribers = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<TenantTimelineId, TimelineChannel> timelines = new ConcurrentHashMap<>();
    private final Set<Publisher> publishers = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Instant> lastSweep;
    private volatile boolean closed;

    public PubSub(int allCapacity, int timelineCapacity, Duration latestTtl, InstantSource clock, BrokerMetrics metrics) {
        if (allCapacity < 1 || timelineCapacity < 1) {
            throw new IllegalArgumentException("channel capacities must be positive");
        }
        if (latestTtl.isNegative() || latestTtl.isZero()) {
            throw new IllegalArgumentException("latest-state TTL must be positive, got " + latestTtl);
        }
        this.allCapacity = allCapacity;
        this.timelineCapacity = timelineCapacity;
        this.latestTtl = latestTtl;
        this.clock = clock;
        this.metrics = metrics;
        this.lastSweep = new AtomicReference<>(clock.instant());
    }

    /** Delivers {@code message} to the matching subscribers' queues; never blocks on them. */
    public void publish(BrokerMessage message) {
        metrics.published(message.type());
        Instant now = clock.instant();
        for (Subscriber s : allSubscribers) {
            metrics.offered(s.offer(message));
        }
        timelines.compute(message.ttid(), (ttid, channel) -> {
            TimelineChannel next = message instanceof SafekeeperTimelineInfo info
                    ? TimelineChannel.orEmpty(channel).withLatest(info, now)
                    : channel;
            if (next != null) {
                for (Subscriber s : next.subscribers()) {
                    metrics.offered(s.offer(message));
                }
            }
            return next;
        });
        sweepIfDue(now);
    }

    /**
     * Registers a subscriber; {@code wakeUp} runs (and must not block) whenever its queue gains a
     * message or it is closed. A one-timeline subscriber's queue starts with the latest infos of
     * that timeline's safekeepers that match its filter.
     */
    public Subscriber subscribe(MessageFilter filter, Runnable wakeUp) {
        metrics.subscriberOpened();
        if (filter.timeline().isEmpty()) {
            var s = new Subscriber(filter, allCapacity, wakeUp);
            allSubscribers.add(s);
            return closeIfShutDown(s);
        }
        var s = new Subscriber(filter, timelineCapacity, wakeUp);
        Instant cutoff = clock.instant().minus(latestTtl);
        timelines.compute(filter.timeline().get(), (ttid, channel) -> {
            TimelineChannel next = TimelineChannel.orEmpty(channel).withoutSilentBefore(cutoff).withSubscriber(s);
            next.latest().values().stream()
                    .sorted((a, b) -> a.info().safekeeperId().compareTo(b.info().safekeeperId()))
                    .forEach(stamped -> metrics.offered(s.offer(stamped.info())));
            return next;
        });
        return closeIfShutDown(s);
    }

    private Subscriber closeIfShutDown(Subscriber s) {
        if (closed) {
            s.close();
        }
        return s;
    }

    /** Removes a subscriber; its timeline's channel goes with its last subscriber and state. */
    public void unsubscribe(Subscriber s) {
        boolean removed;
        if (s.filter().timeline().isEmpty()) {
            removed = allSubscribers.remove(s);
        } else {
            var found = new boolean[1];
            timelines.computeIfPresent(s.filter().timeline().get(), (ttid, channel) -> {
                found[0] = channel.subscribers().contains(s);
                return channel.withoutSubscriber(s).orNullIfEmpty();
            });
            removed = found[0];
        }
        if (removed) {
            metrics.subscriberClosed();
        }
    }

    /** Registers a publishing stream; {@code onShutdown} runs if the broker stops first. */
    public Publisher openPublisher(Runnable onShutdown) {
        var p = new Publisher(this, onShutdown);
        publishers.add(p);
        metrics.publisherOpened();
        if (closed) {
            p.shutdown();
        }
        return p;
    }

    void publisherClosed(Publisher p) {
        if (publishers.remove(p)) {
            metrics.publisherClosed();
        }
    }

    /** Drops the latest infos of safekeepers silent for the TTL, at most once per TTL. */
    private void sweepIfDue(Instant now) {
        Instant last = lastSweep.get();
        if (now.isBefore(last.plus(latestTtl)) || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        Instant cutoff = now.minus(latestTtl);
        for (TenantTimelineId ttid : timelines.keySet()) {
            timelines.computeIfPresent(ttid, (k, channel) -> channel.withoutSilentBefore(cutoff).orNullIfEmpty());
        }
    }

    /** Timelines with subscribers or recent state: the broker's memory footprint, for tests and status. */
    public int timelineCount() {
        return timelines.size();
    }

    /** Ends every subscription and publishing stream (the transport completes them): broker shutdown. */
    @Override
    public void close() {
        closed = true;
        allSubscribers.forEach(Subscriber::close);
        timelines.values().forEach(c -> c.subscribers().forEach(Subscriber::close));
        publishers.forEach(Publisher::shutdown);
    }
}
