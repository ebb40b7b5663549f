package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.NodeId;
import java.util.List;

/**
 * A membership configuration (RFC 035): a generation (unsigned 32 bit; 0 = legacy, quorum = majority
 * of the configured list) and the member set, plus {@code newMembers} (null unless joint). Immutable.
 */
public record Configuration(long generation, List<SafekeeperMember> members, List<SafekeeperMember> newMembers) {

    /** Generation 0 with no members: the legacy configuration of a timeline created without one. */
    public static final Configuration LEGACY_EMPTY = new Configuration(0, List.of(), null);

    public Configuration {
        if (generation < 0 || generation > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("membership generation " + generation + " is outside 0..4294967295");
        }
        members = List.copyOf(members);
        newMembers = newMembers == null ? null : List.copyOf(newMembers);
    }

    public boolean isJoint() {
        return newMembers != null;
    }

    /** Whether {@code node} is in the member set or, when joint, in the new member set. */
    public boolean isMember(NodeId node) {
        return members.stream().anyMatch(m -> m.id().equals(node))
                || (newMembers != null && newMembers.stream().anyMatch(m -> m.id().equals(node)));
    }
}
