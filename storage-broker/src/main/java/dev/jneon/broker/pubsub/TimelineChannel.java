package dev.jneon.broker.pubsub;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.NodeId;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the broker holds for one timeline: the subscribers of this timeline alone, and the latest
 * {@link SafekeeperTimelineInfo} of each safekeeper with the time it arrived. A value: every
 * change returns a new instance, and {@link PubSub} swaps it inside its map's per-key lock, so
 * updates of one timeline are serialised and readers never see a half-made change. Immutable.
 *
 * @param subscribers subscribers of this timeline (not the "all timelines" subscribers)
 * @param latest each safekeeper's latest info and its arrival time
 */
record TimelineChannel(Set<Subscriber> subscribers, Map<NodeId, Stamped> latest) {

    /** An info and when the broker received it. */
    record Stamped(SafekeeperTimelineInfo info, Instant receivedAt) {
    }

    static final TimelineChannel EMPTY = new TimelineChannel(Set.of(), Map.of());

    TimelineChannel {
        subscribers = Set.copyOf(subscribers);
        latest = Map.copyOf(latest);
    }

    static TimelineChannel orEmpty(TimelineChannel channel) {
        return channel == null ? EMPTY : channel;
    }

    TimelineChannel withLatest(SafekeeperTimelineInfo info, Instant now) {
        var next = new HashMap<>(latest);
        next.put(info.safekeeperId(), new Stamped(info, now));
        return new TimelineChannel(subscribers, next);
    }

    TimelineChannel withSubscriber(Subscriber s) {
        var next = new HashSet<>(subscribers);
        next.add(s);
        return new TimelineChannel(next, latest);
    }

    TimelineChannel withoutSubscriber(Subscriber s) {
        var next = new HashSet<>(subscribers);
        next.remove(s);
        return new TimelineChannel(next, latest);
    }

    /** Without the infos received before {@code cutoff}: their safekeepers have gone silent. */
    TimelineChannel withoutSilentBefore(Instant cutoff) {
        if (latest.values().stream().noneMatch(s -> s.receivedAt().isBefore(cutoff))) {
            return this;
        }
        var next = new HashMap<>(latest);
        next.values().removeIf(s -> s.receivedAt().isBefore(cutoff));
        return new TimelineChannel(subscribers, next);
    }

    /** The map value to keep: null once nothing is left, which removes the timeline's entry. */
    TimelineChannel orNullIfEmpty() {
        return subscribers.isEmpty() && latest.isEmpty() ? null : this;
    }
}
