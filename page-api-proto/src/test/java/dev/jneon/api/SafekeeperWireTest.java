package dev.jneon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jneon.api.safekeeper.AppendRequest;
import dev.jneon.api.safekeeper.ProposerMessage;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
  * Pins the bytes of a WalPush message to a hand-computed encoding of the field numbers the jneon
  * spec fixes (safekeeper-broker.md B.2): ProposerMessage's oneof puts AppendRequest at 4.
  */
class SafekeeperWireTest {

    private static final String APPEND_HEX =
            // ProposerMessage 4 append, LEN 20 (0x14)
            "2214"
            // AppendRequest 1 generation = 1, 2 term = 2
            + "0801" + "1002"
            // 3 begin_lsn = 2^24, 4 end_lsn = 2^24 + 4 (low group 4 | 0x80 = 0x84)
            + "1880808008" + "2084808008"
            // 5 commit_lsn = 0 and 6 truncate_lsn = 0 are not written
            // 7 wal_data, LEN 4
            + "3a04" + "deadbeef";

    private static ProposerMessage knownAppend() {
        return ProposerMessage.newBuilder()
                .setAppend(
                        AppendRequest.newBuilder()
                                .setGeneration(1)
                                .setTerm(2)
                                .setBeginLsn(1L << 24)
                                .setEndLsn((1L << 24) + 4)
                                .setWalData(ByteString.copyFrom(HexFormat.of().parseHex("deadbeef"))))
                .build();
    }

    @Test
    void appendRequestSerialisesToHandComputedBytes() {
        assertThat(HexFormat.of().formatHex(knownAppend().toByteArray())).isEqualTo(APPEND_HEX);
    }

    @Test
    void handComputedBytesParseBack() throws Exception {
        ProposerMessage parsed = ProposerMessage.parseFrom(HexFormat.of().parseHex(APPEND_HEX));

        assertThat(parsed).isEqualTo(knownAppend());
        assertThat(parsed.getMsgCase()).isEqualTo(ProposerMessage.MsgCase.APPEND);
        assertThat(parsed.getAppend().getEndLsn() - parsed.getAppend().getBeginLsn())
                .isEqualTo(parsed.getAppend().getWalData().size());
    }
}
