package dev.jneon.safekeeper.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.NodeId;
import dev.jneon.safekeeper.acceptor.Configuration;
import dev.jneon.safekeeper.acceptor.SafekeeperMember;
import java.util.List;

/**
 * Membership configuration JSON (spec I): {@code {"generation": 1, "members": [{"id": 1, "host":
 * "sk1", "pg_port": 5454}], "new_members": null}}; {@code pg_port} carries the gRPC WAL port. Immutable.
 */
record ConfigurationJson(long generation, List<MemberJson> members, @JsonProperty("new_members") List<MemberJson> newMembers) {

    record MemberJson(long id, String host, @JsonProperty("pg_port") int pgPort) {}

    static ConfigurationJson of(Configuration c) {
        return new ConfigurationJson(c.generation(), json(c.members()), c.newMembers() == null ? null : json(c.newMembers()));
    }

    private static List<MemberJson> json(List<SafekeeperMember> members) {
        return members.stream().map(m -> new MemberJson(m.id().value(), m.host(), m.port())).toList();
    }

    Configuration toDomain() {
        return new Configuration(generation, domain(members == null ? List.of() : members),
                newMembers == null ? null : domain(newMembers));
    }

    private static List<SafekeeperMember> domain(List<MemberJson> members) {
        return members.stream().map(m -> new SafekeeperMember(NodeId.of(m.id()), m.host(), m.pgPort())).toList();
    }
}
