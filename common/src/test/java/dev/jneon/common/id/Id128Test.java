package dev.jneon.common.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TenantId and TimelineId share the 16-byte form; both are exercised here. */
class Id128Test {

    private static final String EXAMPLE = "1f359dd625e519a1a4e8d7509690f6fc";
    private static final byte[] EXAMPLE_BYTES = {0x1f, 0x35, (byte) 0x9d, (byte) 0xd6, 0x25, (byte) 0xe5, 0x19,
            (byte) 0xa1, (byte) 0xa4, (byte) 0xe8, (byte) 0xd7, 0x50, (byte) 0x96, (byte) 0x90, (byte) 0xf6, (byte) 0xfc};

    @Test
    void parsesAndFormatsLowercaseHex() {
        TenantId id = TenantId.parse(EXAMPLE);
        assertThat(id.toString()).isEqualTo(EXAMPLE);
        assertThat(id.high()).isEqualTo(0x1f359dd625e519a1L);
        assertThat(id.low()).isEqualTo(0xa4e8d7509690f6fcL);
        assertThat(TenantId.parse(EXAMPLE.toUpperCase())).isEqualTo(id);
        assertThat(TimelineId.parse(EXAMPLE).toString()).isEqualTo(EXAMPLE);
        assertThat(new TimelineId(0, 1).toString()).isEqualTo("00000000000000000000000000000001");
    }

    @Test
    void bytesRoundTrip() {
        TenantId id = TenantId.parse(EXAMPLE);
        assertThat(id.toBytes()).containsExactly(EXAMPLE_BYTES);
        assertThat(TenantId.fromBytes(EXAMPLE_BYTES)).isEqualTo(id);
        TimelineId random = TimelineId.generate();
        assertThat(TimelineId.fromBytes(random.toBytes())).isEqualTo(random);
        assertThat(TimelineId.parse(random.toString())).isEqualTo(random);
    }

    @Test
    void generatesDistinctIds() {
        Set<TenantId> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(TenantId.generate());
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void ordersAsUnsignedBytes() {
        TimelineId low = TimelineId.parse("7fffffffffffffffffffffffffffffff");
        TimelineId high = TimelineId.parse("80000000000000000000000000000000");
        TimelineId highLow = TimelineId.parse("00000000000000008000000000000000");
        TimelineId one = TimelineId.parse("00000000000000000000000000000001");
        List<TimelineId> ids = new ArrayList<>(List.of(high, low, one, highLow));
        ids.sort(null);
        assertThat(ids).containsExactly(one, highLow, low, high);
        assertThat(TenantId.parse(EXAMPLE)).isEqualByComparingTo(TenantId.fromBytes(EXAMPLE_BYTES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1f359dd625e519a1a4e8d7509690f6f", "1f359dd625e519a1a4e8d7509690f6fc0",
            "1f359dd625e519a1a4e8d7509690f6fg", "+f359dd625e519a1a4e8d7509690f6fc", "1f359dd625e519a1-4e8d7509690f6fc"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> TenantId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TenantId")
                .hasMessageContaining("'" + text + "'");
        assertThatThrownBy(() -> TimelineId.parse(text)).hasMessageContaining("TimelineId");
    }

    @Test
    void rejectsWrongByteCounts() {
        assertThatThrownBy(() -> TenantId.fromBytes(new byte[15])).hasMessageContaining("16 bytes, got 15");
        assertThatThrownBy(() -> TimelineId.fromBytes(null)).hasMessageContaining("got null");
        assertThatThrownBy(() -> TimelineId.parse(null)).hasMessageContaining("null");
    }

    @Test
    void tenantTimelineIdPairs() {
        TenantTimelineId ttid = new TenantTimelineId(TenantId.parse(EXAMPLE), new TimelineId(0, 2));
        assertThat(ttid.toString()).isEqualTo(EXAMPLE + "/00000000000000000000000000000002");
        assertThat(TenantTimelineId.parse(ttid.toString())).isEqualTo(ttid);
        TenantTimelineId later = new TenantTimelineId(TenantId.parse(EXAMPLE), new TimelineId(0, 3));
        assertThat(ttid).isLessThan(later);
        assertThat(new TenantTimelineId(new TenantId(0, 1), new TimelineId(-1, -1))).isLessThan(ttid);
        assertThatThrownBy(() -> TenantTimelineId.parse(EXAMPLE)).hasMessageContaining("<tenant>/<timeline>");
        assertThatThrownBy(() -> new TenantTimelineId(null, new TimelineId(0, 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
