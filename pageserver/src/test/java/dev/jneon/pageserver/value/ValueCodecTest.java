package dev.jneon.pageserver.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void clearVisibilityMapFlagsValueMatchesTheSpecVector() {
        var value = Value.record(new NeonWalRecord.ClearVisibilityMapFlags(0x11, null, 3));
        assertThat(HEX.formatHex(ValueCodec.encode(value))).isEqualTo("00000001" + "00000001" + "01" + "00000011" + "00" + "03");
        assertThat(ValueCodec.decode(HEX.parseHex("000000010000000101000000110003"))).isEqualTo(value);
        assertThat(HEX.formatHex(ValueCodec.encode(new NeonWalRecord.ClearVisibilityMapFlags(0x11, null, 3))))
                .isEqualTo("00000001" + "01" + "00000011" + "00" + "03");
    }

    @Test
    void imageIsTagZeroThenLengthThenBytes() {
        byte[] encoded = ValueCodec.encode(Value.image(new byte[] {(byte) 0xAB, 0x01}));
        assertThat(HEX.formatHex(encoded)).isEqualTo("00000000" + "0000000000000002" + "ab01");
        assertThat(ValueCodec.decode(encoded)).isEqualTo(Value.image(new byte[] {(byte) 0xAB, 0x01}));
    }

    @Test
    void walRecordValuesCarryTagOneThenTheRecord() {
        var value = Value.record(new NeonWalRecord.ClogSetAborted(List.of(7, 9)));
        assertThat(HEX.formatHex(ValueCodec.encode(value)))
                .isEqualTo("00000001" + "00000003" + "0000000000000002" + "00000007" + "00000009");
    }

    @Test
    void everyVariantRoundTrips() {
        List<NeonWalRecord> records = List.of(
                new NeonWalRecord.Postgres(true, new byte[] {1, 2, 3}),
                new NeonWalRecord.ClearVisibilityMapFlags(null, -2, 1),
                new NeonWalRecord.ClogSetCommitted(List.of(100, -5), -123456789L),
                new NeonWalRecord.ClogSetAborted(List.of()),
                new NeonWalRecord.MultixactOffsetCreate(-1, 42),
                new NeonWalRecord.MultixactMembersCreate(5, List.of(new NeonWalRecord.Member(77, 5))),
                new NeonWalRecord.TruncateVisibilityMap(8167, 7));
        for (NeonWalRecord r : records) {
            assertThat(ValueCodec.decode(ValueCodec.encode(Value.record(r)))).isEqualTo(Value.record(r));
        }
        assertThat(HEX.formatHex(ValueCodec.encode(records.get(6)))).isEqualTo("00000007" + "0000000000001fe7" + "0000000000000007");
        assertThat(Value.record(records.get(0)).willInit()).isTrue();
        assertThat(Value.record(records.get(1)).willInit()).isFalse();
    }

    @Test
    void rejectsTruncatedTrailingAndUnknownInput() {
        assertThatThrownBy(() -> ValueCodec.decode(HEX.parseHex("000000000000000000000005ab"))).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> ValueCodec.decode(HEX.parseHex("000000000000000000000000ff"))).hasMessageContaining("trailing");
        assertThatThrownBy(() -> ValueCodec.decode(HEX.parseHex("00000002"))).hasMessageContaining("unknown value tag");
        assertThatThrownBy(() -> ValueCodec.decodeRecord(HEX.parseHex("00000006"))).hasMessageContaining("AuxFile");
        assertThatThrownBy(() -> ValueCodec.decodeRecord(HEX.parseHex("0000000102"))).hasMessageContaining("not 0 or 1");
    }
}
