package dev.jneon.common.broker;

import dev.jneon.common.id.TenantTimelineId;

/**
 * A message published to and delivered by the storage broker. Every message concerns exactly one
 * timeline, by which the broker routes it. Implementations are immutable records.
 */
public sealed interface BrokerMessage
        permits SafekeeperTimelineInfo, SafekeeperDiscoveryRequest, SafekeeperDiscoveryResponse {

    /** The timeline this message is about. */
    TenantTimelineId ttid();

    /** The message's kind, fixed by its record type. */
    default MessageType type() {
        return switch (this) {
            case SafekeeperTimelineInfo i -> MessageType.SAFEKEEPER_TIMELINE_INFO;
            case SafekeeperDiscoveryRequest r -> MessageType.SAFEKEEPER_DISCOVERY_REQUEST;
            case SafekeeperDiscoveryResponse r -> MessageType.SAFEKEEPER_DISCOVERY_RESPONSE;
        };
    }
}
