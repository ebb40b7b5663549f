package dev.jneon.safekeeper.grpc;

import com.google.protobuf.ByteString;
import dev.jneon.api.safekeeper.MemberSet;
import dev.jneon.api.safekeeper.MembershipConfiguration;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.safekeeper.acceptor.Configuration;
import dev.jneon.safekeeper.acceptor.SafekeeperMember;
import dev.jneon.safekeeper.acceptor.TermHistory;
import dev.jneon.safekeeper.acceptor.TermSwitch;
import java.util.List;

/**
 * Validating conversions between the shared protobuf types of safekeeper_wal.proto and the domain
 * records: ids, membership configurations, term histories. Malformed input is an
 * {@link IllegalArgumentException} naming the field. Stateless.
 */
public final class ProtoMapping {

    private ProtoMapping() {
    }

    public static TenantTimelineId ttid(dev.jneon.api.safekeeper.TenantTimelineId p) {
        return new TenantTimelineId(TenantId.fromBytes(p.getTenantId().toByteArray()),
                TimelineId.fromBytes(p.getTimelineId().toByteArray()));
    }

    public static dev.jneon.api.safekeeper.TenantTimelineId toProto(TenantTimelineId t) {
        return dev.jneon.api.safekeeper.TenantTimelineId.newBuilder()
                .setTenantId(ByteString.copyFrom(t.tenantId().toBytes()))
                .setTimelineId(ByteString.copyFrom(t.timelineId().toBytes())).build();
    }

    public static Configuration configuration(MembershipConfiguration p) {
        return new Configuration(Integer.toUnsignedLong(p.getGeneration()), members(p.getMembers()),
                p.hasNewMembers() ? members(p.getNewMembers()) : null);
    }

    private static List<SafekeeperMember> members(MemberSet set) {
        return set.getMembersList().stream()
                .map(m -> new SafekeeperMember(NodeId.of(m.getId()), m.getHost(), m.getPort())).toList();
    }

    public static MembershipConfiguration toProto(Configuration c) {
        var b = MembershipConfiguration.newBuilder().setGeneration((int) c.generation())
                .setMembers(toProto(c.members()));
        if (c.newMembers() != null) {
            b.setNewMembers(toProto(c.newMembers()));
        }
        return b.build();
    }

    private static MemberSet toProto(List<SafekeeperMember> members) {
        var b = MemberSet.newBuilder();
        members.forEach(m -> b.addMembers(dev.jneon.api.safekeeper.SafekeeperId.newBuilder()
                .setId(m.id().value()).setHost(m.host()).setPort(m.port())));
        return b.build();
    }

    public static TermHistory termHistory(List<dev.jneon.api.safekeeper.TermSwitch> entries) {
        return new TermHistory(entries.stream().map(e -> TermSwitch.of(e.getTerm(), e.getLsn())).toList());
    }

    public static List<dev.jneon.api.safekeeper.TermSwitch> toProto(TermHistory h) {
        return h.entries().stream().map(e -> dev.jneon.api.safekeeper.TermSwitch.newBuilder()
                .setTerm(e.term().value()).setLsn(e.lsn().value()).build()).toList();
    }

    public static Lsn lsn(long value) {
        return Lsn.of(value);
    }
}
