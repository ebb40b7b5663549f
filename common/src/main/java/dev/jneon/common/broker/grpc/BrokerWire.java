package dev.jneon.common.broker.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.jneon.api.broker.FilterTenantTimelineId;
import dev.jneon.api.broker.SubscribeByFilterRequest;
import dev.jneon.api.broker.SubscribeSafekeeperInfoRequest;
import dev.jneon.api.broker.TypeSubscription;
import dev.jneon.api.broker.TypedMessage;
import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.MessageFilter;
import dev.jneon.common.broker.MessageType;
import dev.jneon.common.broker.SafekeeperDiscoveryRequest;
import dev.jneon.common.broker.SafekeeperDiscoveryResponse;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Converts between the storage broker's protobuf messages (package {@code storage_broker}) and
 * the domain records of {@link dev.jneon.common.broker}. Every {@code fromProto} validates and
 * throws {@link IllegalArgumentException} with a message naming the bad field (UNKNOWN or
 * unrecognised type, type without its payload, missing key, ids that are not 16 bytes); the
 * broker answers those with INVALID_ARGUMENT. Ids travel as their raw 16 bytes, LSNs and terms as
 * unsigned 64-bit numbers. Stateless.
 */
public final class BrokerWire {

    private BrokerWire() {
    }

    /** The timeline of a message field; {@code present} is the field's has-bit. */
    public static TenantTimelineId ttidFromProto(boolean present, dev.jneon.api.broker.TenantTimelineId p) {
        if (!present) {
            throw new IllegalArgumentException("missing tenant_timeline_id");
        }
        TenantId tenant;
        TimelineId timeline;
        try {
            tenant = TenantId.fromBytes(p.getTenantId().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed tenant_id: " + e.getMessage(), e);
        }
        try {
            timeline = TimelineId.fromBytes(p.getTimelineId().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed timeline_id: " + e.getMessage(), e);
        }
        return new TenantTimelineId(tenant, timeline);
    }

    public static dev.jneon.api.broker.TenantTimelineId toProto(TenantTimelineId ttid) {
        return dev.jneon.api.broker.TenantTimelineId.newBuilder()
                .setTenantId(ByteString.copyFrom(ttid.tenantId().toBytes()))
                .setTimelineId(ByteString.copyFrom(ttid.timelineId().toBytes()))
                .build();
    }

    public static SafekeeperTimelineInfo fromProto(dev.jneon.api.broker.SafekeeperTimelineInfo p) {
        return new SafekeeperTimelineInfo(
                NodeId.of(p.getSafekeeperId()),
                ttidFromProto(p.hasTenantTimelineId(), p.getTenantTimelineId()),
                p.getTerm(),
                p.getLastLogTerm(),
                Lsn.of(p.getFlushLsn()),
                Lsn.of(p.getCommitLsn()),
                Lsn.of(p.getBackupLsn()),
                Lsn.of(p.getRemoteConsistentLsn()),
                Lsn.of(p.getPeerHorizonLsn()),
                Lsn.of(p.getLocalStartLsn()),
                Lsn.of(p.getStandbyHorizon()),
                p.getSafekeeperConnstr(),
                p.getHttpConnstr(),
                p.hasHttpsConnstr() ? Optional.of(p.getHttpsConnstr()) : Optional.empty(),
                p.hasAvailabilityZone() ? Optional.of(p.getAvailabilityZone()) : Optional.empty());
    }

    public static dev.jneon.api.broker.SafekeeperTimelineInfo toProto(SafekeeperTimelineInfo i) {
        var b = dev.jneon.api.broker.SafekeeperTimelineInfo.newBuilder()
                .setSafekeeperId(i.safekeeperId().value())
                .setTenantTimelineId(toProto(i.ttid()))
                .setTerm(i.term())
                .setLastLogTerm(i.lastLogTerm())
                .setFlushLsn(i.flushLsn().value())
                .setCommitLsn(i.commitLsn().value())
                .setBackupLsn(i.backupLsn().value())
                .setRemoteConsistentLsn(i.remoteConsistentLsn().value())
                .setPeerHorizonLsn(i.peerHorizonLsn().value())
                .setLocalStartLsn(i.localStartLsn().value())
                .setStandbyHorizon(i.standbyHorizon().value())
                .setSafekeeperConnstr(i.safekeeperConnstr())
                .setHttpConnstr(i.httpConnstr());
        i.httpsConnstr().ifPresent(b::setHttpsConnstr);
        i.availabilityZone().ifPresent(b::setAvailabilityZone);
        return b.build();
    }

    public static SafekeeperDiscoveryRequest fromProto(dev.jneon.api.broker.SafekeeperDiscoveryRequest p) {
        return new SafekeeperDiscoveryRequest(ttidFromProto(p.hasTenantTimelineId(), p.getTenantTimelineId()));
    }

    public static SafekeeperDiscoveryResponse fromProto(dev.jneon.api.broker.SafekeeperDiscoveryResponse p) {
        return new SafekeeperDiscoveryResponse(
                NodeId.of(p.getSafekeeperId()),
                ttidFromProto(p.hasTenantTimelineId(), p.getTenantTimelineId()),
                Lsn.of(p.getCommitLsn()),
                p.getSafekeeperConnstr(),
                p.hasAvailabilityZone() ? Optional.of(p.getAvailabilityZone()) : Optional.empty(),
                Lsn.of(p.getStandbyHorizon()));
    }

    /** A typed message: its type must be known and its payload for that type present. */
    public static BrokerMessage fromProto(TypedMessage p) {
        return switch (typeFromProto(p.getType())) {
            case SAFEKEEPER_TIMELINE_INFO -> fromProto(payload(p.hasSafekeeperTimelineInfo(),
                    p.getSafekeeperTimelineInfo(), "safekeeper_timeline_info"));
            case SAFEKEEPER_DISCOVERY_REQUEST -> fromProto(payload(p.hasSafekeeperDiscoveryRequest(),
                    p.getSafekeeperDiscoveryRequest(), "safekeeper_discovery_request"));
            case SAFEKEEPER_DISCOVERY_RESPONSE -> fromProto(payload(p.hasSafekeeperDiscoveryResponse(),
                    p.getSafekeeperDiscoveryResponse(), "safekeeper_discovery_response"));
        };
    }

    public static TypedMessage toTypedProto(BrokerMessage message) {
        var b = TypedMessage.newBuilder().setType(toProto(message.type()));
        switch (message) {
            case SafekeeperTimelineInfo i -> b.setSafekeeperTimelineInfo(toProto(i));
            case SafekeeperDiscoveryRequest r -> b.setSafekeeperDiscoveryRequest(
                    dev.jneon.api.broker.SafekeeperDiscoveryRequest.newBuilder().setTenantTimelineId(toProto(r.ttid())));
            case SafekeeperDiscoveryResponse r -> {
                var rb = dev.jneon.api.broker.SafekeeperDiscoveryResponse.newBuilder()
                        .setSafekeeperId(r.safekeeperId().value())
                        .setTenantTimelineId(toProto(r.ttid()))
                        .setCommitLsn(r.commitLsn().value())
                        .setSafekeeperConnstr(r.safekeeperConnstr())
                        .setStandbyHorizon(r.standbyHorizon().value());
                r.availabilityZone().ifPresent(rb::setAvailabilityZone);
                b.setSafekeeperDiscoveryResponse(rb);
            }
        }
        return b.build();
    }

    public static MessageType typeFromProto(dev.jneon.api.broker.MessageType p) {
        return switch (p) {
            case SAFEKEEPER_TIMELINE_INFO -> MessageType.SAFEKEEPER_TIMELINE_INFO;
            case SAFEKEEPER_DISCOVERY_REQUEST -> MessageType.SAFEKEEPER_DISCOVERY_REQUEST;
            case SAFEKEEPER_DISCOVERY_RESPONSE -> MessageType.SAFEKEEPER_DISCOVERY_RESPONSE;
            case UNKNOWN -> throw new IllegalArgumentException("message type UNKNOWN is not allowed");
            case UNRECOGNIZED -> throw new IllegalArgumentException("unrecognised message type");
        };
    }

    public static dev.jneon.api.broker.MessageType toProto(MessageType type) {
        return switch (type) {
            case SAFEKEEPER_TIMELINE_INFO -> dev.jneon.api.broker.MessageType.SAFEKEEPER_TIMELINE_INFO;
            case SAFEKEEPER_DISCOVERY_REQUEST -> dev.jneon.api.broker.MessageType.SAFEKEEPER_DISCOVERY_REQUEST;
            case SAFEKEEPER_DISCOVERY_RESPONSE -> dev.jneon.api.broker.MessageType.SAFEKEEPER_DISCOVERY_RESPONSE;
        };
    }

    /** A SubscribeSafekeeperInfo request as a filter: timeline infos of all timelines or of one. */
    public static MessageFilter filterFromProto(SubscribeSafekeeperInfoRequest p) {
        return switch (p.getSubscriptionKeyCase()) {
            case ALL -> MessageFilter.allTimelineInfos();
            case TENANT_TIMELINE_ID -> MessageFilter.timelineInfos(ttidFromProto(true, p.getTenantTimelineId()));
            case SUBSCRIPTIONKEY_NOT_SET -> throw new IllegalArgumentException("missing subscription_key");
        };
    }

    /** A SubscribeByFilter request as a filter; an absent or disabled timeline filter means all. */
    public static MessageFilter filterFromProto(SubscribeByFilterRequest p) {
        Set<MessageType> types = EnumSet.noneOf(MessageType.class);
        for (TypeSubscription t : p.getTypesList()) {
            types.add(typeFromProto(t.getType()));
        }
        Optional<TenantTimelineId> timeline = Optional.empty();
        if (p.hasTenantTimelineId() && p.getTenantTimelineId().getEnabled()) {
            FilterTenantTimelineId f = p.getTenantTimelineId();
            timeline = Optional.of(ttidFromProto(f.hasTenantTimelineId(), f.getTenantTimelineId()));
        }
        return new MessageFilter(types, timeline);
    }

    /** The SubscribeSafekeeperInfo request for timeline infos of one timeline, or of all when empty. */
    public static SubscribeSafekeeperInfoRequest subscribeRequest(Optional<TenantTimelineId> timeline) {
        var b = SubscribeSafekeeperInfoRequest.newBuilder();
        timeline.ifPresentOrElse(t -> b.setTenantTimelineId(toProto(t)), () -> b.setAll(Empty.getDefaultInstance()));
        return b.build();
    }

    public static SubscribeByFilterRequest toProto(MessageFilter filter) {
        var b = SubscribeByFilterRequest.newBuilder();
        filter.types().stream().sorted()
                .forEach(t -> b.addTypes(TypeSubscription.newBuilder().setType(toProto(t))));
        filter.timeline().ifPresent(t -> b.setTenantTimelineId(
                FilterTenantTimelineId.newBuilder().setEnabled(true).setTenantTimelineId(toProto(t))));
        return b.build();
    }

    private static <T> T payload(boolean present, T value, String field) {
        if (!present) {
            throw new IllegalArgumentException("missing payload " + field + " for its message type");
        }
        return value;
    }
}
