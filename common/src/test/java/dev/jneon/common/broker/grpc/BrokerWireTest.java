package dev.jneon.common.broker.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.jneon.common.id.TenantTimelineId;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Conversion between the broker's protobuf messages and the domain records, and its validation. */
class BrokerWireTest {

    private static final TenantTimelineId TTID = TenantTimelineId.parse(
            "00112233445566778899aabbccddeeff/ffeeddccbbaa99887766554433221100");

    private static SafekeeperTimelineInfo info(Optional<String> https) {
        return new SafekeeperTimelineInfo(NodeId.of(-1L), TTID, -2L, 7, Lsn.of(0x16B5A50), Lsn.of(0x16B5A00),
                Lsn.of(0x1000000), Lsn.of(0x100), Lsn.of(0x200), Lsn.of(0x300), Lsn.of(0x400), "sk1:5454",
                "sk1:7676", https, Optional.of("az-1"));
    }

    @Test
    void everyMessageSurvivesTheRoundTripAsTypedMessage() {
        var messages = new BrokerMessage[] {
            info(Optional.empty()),
            info(Optional.of("sk1:7677")),
            new SafekeeperDiscoveryRequest(TTID),
            new SafekeeperDiscoveryResponse(NodeId.of(3), TTID, Lsn.of(0x5000), "sk3:5454", Optional.empty(), Lsn.of(9)),
        };
        for (BrokerMessage m : messages) {
            TypedMessage proto = BrokerWire.toTypedProto(m);
            assertThat(BrokerWire.typeFromProto(proto.getType())).isEqualTo(m.type());
            assertThat(BrokerWire.fromProto(proto)).isEqualTo(m);
        }
    }

    @Test
    void idsTravelAsRawBytesAndNumbersAsUnsigned64Bits() {
        var proto = BrokerWire.toProto(info(Optional.empty()));

        assertThat(HexFormat.of().formatHex(proto.getTenantTimelineId().getTenantId().toByteArray()))
                .isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(proto.getSafekeeperId()).isEqualTo(-1L); // 2^64-1 on the wire
        assertThat(Long.toUnsignedString(proto.getTerm())).isEqualTo("18446744073709551614");
        assertThat(proto.hasHttpsConnstr()).isFalse();
        assertThat(proto.getAvailabilityZone()).isEqualTo("az-1");
    }

    @Test
    void rejectsUnknownTypesMissingPayloadsAndMalformedIds() {
        var info = BrokerWire.toProto(info(Optional.empty()));
        assertThatThrownBy(() -> BrokerWire.fromProto(TypedMessage.newBuilder()
                .setType(dev.jneon.api.broker.MessageType.UNKNOWN).setSafekeeperTimelineInfo(info).build()))
                .hasMessageContaining("UNKNOWN");
        assertThatThrownBy(() -> BrokerWire.fromProto(TypedMessage.newBuilder().setTypeValue(1).build()))
                .hasMessageContaining("unrecognised");
        assertThatThrownBy(() -> BrokerWire.fromProto(TypedMessage.newBuilder()
                .setType(dev.jneon.api.broker.MessageType.SAFEKEEPER_DISCOVERY_RESPONSE)
                .setSafekeeperTimelineInfo(info).build()))
                .hasMessageContaining("missing payload safekeeper_discovery_response");
        assertThatThrownBy(() -> BrokerWire.fromProto(info.toBuilder().clearTenantTimelineId().build()))
                .hasMessageContaining("missing tenant_timeline_id");
        assertThatThrownBy(() -> BrokerWire.fromProto(info.toBuilder().setTenantTimelineId(info.getTenantTimelineId()
                .toBuilder().setTimelineId(ByteString.copyFrom(new byte[8]))).build()))
                .hasMessageContaining("malformed timeline_id").hasMessageContaining("got 8");
    }

    @Test
    void subscribeRequestsBecomeFilters() {
        assertThat(BrokerWire.filterFromProto(BrokerWire.subscribeRequest(Optional.empty())))
                .isEqualTo(MessageFilter.allTimelineInfos());
        assertThat(BrokerWire.filterFromProto(BrokerWire.subscribeRequest(Optional.of(TTID))))
                .isEqualTo(MessageFilter.timelineInfos(TTID));
        assertThat(BrokerWire.filterFromProto(SubscribeSafekeeperInfoRequest.newBuilder()
                .setAll(Empty.getDefaultInstance()).build())).isEqualTo(MessageFilter.allTimelineInfos());
        assertThatThrownBy(() -> BrokerWire.filterFromProto(SubscribeSafekeeperInfoRequest.getDefaultInstance()))
                .hasMessageContaining("missing subscription_key");

        var filter = new MessageFilter(Set.of(MessageType.SAFEKEEPER_DISCOVERY_RESPONSE,
                MessageType.SAFEKEEPER_TIMELINE_INFO), Optional.of(TTID));
        assertThat(BrokerWire.filterFromProto(BrokerWire.toProto(filter))).isEqualTo(filter);

        var disabled = SubscribeByFilterRequest.newBuilder()
                .addTypes(TypeSubscription.newBuilder().setType(dev.jneon.api.broker.MessageType.SAFEKEEPER_DISCOVERY_REQUEST))
                .setTenantTimelineId(FilterTenantTimelineId.newBuilder().setEnabled(false))
                .build();
        assertThat(BrokerWire.filterFromProto(disabled)).isEqualTo(
                new MessageFilter(Set.of(MessageType.SAFEKEEPER_DISCOVERY_REQUEST), Optional.empty()));
        assertThatThrownBy(() -> BrokerWire.filterFromProto(disabled.toBuilder()
                .setTenantTimelineId(FilterTenantTimelineId.newBuilder().setEnabled(true)).build()))
                .hasMessageContaining("missing tenant_timeline_id");
    }
}
