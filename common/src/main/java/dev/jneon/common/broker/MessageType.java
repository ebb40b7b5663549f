package dev.jneon.common.broker;

/**
 * The kinds of message the storage broker carries. Wire numbers (2, 3, 4) live in the gRPC
 * conversion; the wire's UNKNOWN (0) has no domain counterpart because it is always rejected.
 */
public enum MessageType {
    /** A safekeeper's periodic state of one timeline ({@link SafekeeperTimelineInfo}). */
    SAFEKEEPER_TIMELINE_INFO,
    /** A pageserver asking which safekeepers hold a timeline ({@link SafekeeperDiscoveryRequest}). */
    SAFEKEEPER_DISCOVERY_REQUEST,
    /** A safekeeper's answer to a discovery request ({@link SafekeeperDiscoveryResponse}). */
    SAFEKEEPER_DISCOVERY_RESPONSE
}
