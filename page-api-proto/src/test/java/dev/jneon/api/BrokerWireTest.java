package dev.jneon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.api.broker.SafekeeperTimelineInfo;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
  * Pins {@code storage_broker.SafekeeperTimelineInfo} bytes to a hand-computed encoding. Its field
  * numbers are not in declaration order (term is 12, standby_horizon 14), which is exactly what a
  * careless rewrite would get wrong. Encoders write fields in field-number order.
  */
class BrokerWireTest {

    private static final String INFO_HEX =
            // 1 safekeeper_id = 3, varint
            "0803"
            // 3 last_log_term = 0: proto3 scalars at their default are not written
            // 5 commit_lsn = 2^25, varint
            + "2880808010"
            // 11 availability_zone = "az1", LEN 3 (key 11<<3|2 = 0x5a)
            + "5a03" + "617a31"
            // 12 term = 5, varint (key 12<<3 = 0x60)
            + "6005"
            // 14 standby_horizon = 2^24, varint (key 14<<3 = 0x70)
            + "7080808008";

    private static SafekeeperTimelineInfo knownInfo() {
        return SafekeeperTimelineInfo.newBuilder()
                .setSafekeeperId(3)
                .setTerm(5)
                .setLastLogTerm(0)
                .setCommitLsn(1L << 25)
                .setStandbyHorizon(1L << 24)
                .setAvailabilityZone("az1")
                .build();
    }

    @Test
    void timelineInfoSerialisesToHandComputedBytes() {
        assertThat(HexFormat.of().formatHex(knownInfo().toByteArray())).isEqualTo(INFO_HEX);
    }

    @Test
    void handComputedBytesParseBack() throws Exception {
        SafekeeperTimelineInfo parsed = SafekeeperTimelineInfo.parseFrom(HexFormat.of().parseHex(INFO_HEX));

        assertThat(parsed).isEqualTo(knownInfo());
        assertThat(parsed.getTerm()).isEqualTo(5);
        assertThat(parsed.hasAvailabilityZone()).isTrue();
        assertThat(parsed.hasHttpsConnstr()).isFalse();
    }

    @Test
    void anOptionalStringSetEmptyIsStillSent() {
        // proto3 `optional` keeps presence: key 15<<3|2 = 0x7a with length 0.
        byte[] bytes = SafekeeperTimelineInfo.newBuilder().setHttpsConnstr("").build().toByteArray();

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("7a00");
    }
}
