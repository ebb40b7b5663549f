package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.NodeId;

/**
 * A member of a safekeeper set: its node id, host and gRPC WAL port. Immutable.
 */
public record SafekeeperMember(NodeId id, String host, int port) {

    public SafekeeperMember {
        if (id == null || host == null) {
            throw new IllegalArgumentException("safekeeper member needs an id and a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("safekeeper member port " + port + " is outside 0..65535");
        }
    }
}
