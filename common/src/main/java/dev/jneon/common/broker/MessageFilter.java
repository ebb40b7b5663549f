package dev.jneon.common.broker;

import dev.jneon.common.id.TenantTimelineId;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a subscriber wants: messages of some types, for every timeline or for one. An empty type
 * set matches nothing (the wire protocol says so). Immutable.
 *
 * @param types the message types delivered
 * @param timeline the one timeline delivered, or empty for every timeline
 */
public record MessageFilter(Set<MessageType> types, Optional<TenantTimelineId> timeline) {

    public MessageFilter {
        Objects.requireNonNull(timeline, "timeline");
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /** Timeline infos of every timeline: what a safekeeper's peer discovery subscribes to. */
    public static MessageFilter allTimelineInfos() {
        return new MessageFilter(Set.of(MessageType.SAFEKEEPER_TIMELINE_INFO), Optional.empty());
    }

    /** Timeline infos of one timeline. */
    public static MessageFilter timelineInfos(TenantTimelineId ttid) {
        return new MessageFilter(Set.of(MessageType.SAFEKEEPER_TIMELINE_INFO), Optional.of(ttid));
    }

    /** Whether {@code message} passes this filter. */
    public boolean matches(BrokerMessage message) {
        return types.contains(message.type()) && timeline.map(message.ttid()::equals).orElse(true);
    }
}
