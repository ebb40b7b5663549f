package dev.jneon.common.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LsnTest {

    private static final int SEG16M = Lsn.DEFAULT_SEGMENT_SIZE;

    @Test
    void formatsAndParsesPostgresText() {
        assertThat(Lsn.of(0x16B5A50).toString()).isEqualTo("0/16B5A50");
        assertThat(Lsn.of(0x1_0000_0000L).toString()).isEqualTo("1/0");
        assertThat(Lsn.MAX.toString()).isEqualTo("FFFFFFFF/FFFFFFFF");
        assertThat(Lsn.parse("0/16B5A50")).isEqualTo(Lsn.of(0x16B5A50));
        assertThat(Lsn.parse("0/16b5a50")).isEqualTo(Lsn.of(0x16B5A50));
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isEqualTo(Lsn.MAX);
        assertThat(Lsn.parse("0/0")).isSameAs(Lsn.INVALID);
        for (long v : new long[] {1, 0x7FFF_FFFFL, 0x8000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, -2}) {
            assertThat(Lsn.parse(Lsn.of(v).toString())).isEqualTo(Lsn.of(v));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "0/", "/0", "0", "0-1", "123456789/0", "0/123456789", "G/0", "0/+1", "+0/1",
            "-1/0", "0/1/2", " 0/1", "0/١"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Lsn.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Lsn.parse(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    }

    @Test
    void hex16FormOfLayerFileNames() {
        assertThat(Lsn.of(0x16B5A50).toHex16()).isEqualTo("00000000016B5A50");
        assertThat(Lsn.MAX.toHex16()).isEqualTo("FFFFFFFFFFFFFFFF");
        assertThat(Lsn.parseHex16("00000000016b5a50")).isEqualTo(Lsn.of(0x16B5A50));
        assertThat(Lsn.parseHex16(Lsn.of(Long.MIN_VALUE).toHex16())).isEqualTo(Lsn.of(Long.MIN_VALUE));
        assertThatThrownBy(() -> Lsn.parseHex16("16B5A50")).hasMessageContaining("'16B5A50'");
        assertThatThrownBy(() -> Lsn.parseHex16("00000000016B5A5G")).hasMessageContaining("'G'");
    }

    @Test
    void ordersUnsignedAcrossTheSignBit() {
        Lsn belowHalf = Lsn.of(Long.MAX_VALUE);
        Lsn half = Lsn.of(Long.MIN_VALUE);
        assertThat(belowHalf).isLessThan(half);
        assertThat(half).isLessThan(Lsn.MAX);
        assertThat(half.isAfter(belowHalf)).isTrue();
        assertThat(belowHalf.isBefore(half)).isTrue();
        assertThat(Lsn.max(belowHalf, half)).isEqualTo(half);
        assertThat(Lsn.min(belowHalf, half)).isEqualTo(belowHalf);
        List<Lsn> sorted = new ArrayList<>(List.of(Lsn.MAX, half, Lsn.INVALID, belowHalf, Lsn.of(1)));
        sorted.sort(null);
        assertThat(sorted).containsExactly(Lsn.INVALID, Lsn.of(1), belowHalf, half, Lsn.MAX);
    }

    @Test
    void arithmetic() {
        Lsn a = Lsn.parse("1/FFFFFFF8");
        assertThat(a.plus(8)).isEqualTo(Lsn.parse("2/0"));
        assertThat(a.plus(-8)).isEqualTo(Lsn.parse("1/FFFFFFF0"));
        assertThat(a.plus(8).minus(a)).isEqualTo(8);
        assertThat(a.minus(a.plus(8))).isEqualTo(-8);
        assertThat(Lsn.of(Long.MAX_VALUE).plus(1)).isEqualTo(Lsn.of(Long.MIN_VALUE));
        assertThat(Lsn.INVALID.isValid()).isFalse();
        assertThat(Lsn.of(1).isValid()).isTrue();
    }

    @Test
    void arithmeticRefusesToLeaveTheRange() {
        assertThatThrownBy(() -> Lsn.MAX.plus(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FFFFFFFF/FFFFFFFF");
        assertThatThrownBy(() -> Lsn.of(7).plus(-8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0/7");
    }

    @Test
    void alignment() {
        assertThat(Lsn.of(0x10).alignUp8()).isEqualTo(Lsn.of(0x10));
        assertThat(Lsn.of(0x11).alignUp8()).isEqualTo(Lsn.of(0x18));
        assertThat(Lsn.of(0x17).alignUp8()).isEqualTo(Lsn.of(0x18));
        assertThat(Lsn.of(0x18).isAligned8()).isTrue();
        assertThat(Lsn.of(0x19).isAligned8()).isFalse();
    }

    @Test
    void pageMathAtPageBoundaries() {
        Lsn lastOfPage0 = Lsn.of(8191);
        Lsn startOfPage1 = Lsn.of(8192);
        assertThat(lastOfPage0.pageOffset()).isEqualTo(8191);
        assertThat(lastOfPage0.pageStart()).isEqualTo(Lsn.INVALID);
        assertThat(lastOfPage0.isPageStart()).isFalse();
        assertThat(startOfPage1.pageOffset()).isZero();
        assertThat(startOfPage1.pageStart()).isEqualTo(startOfPage1);
        assertThat(startOfPage1.isPageStart()).isTrue();
        assertThat(Lsn.of(8193).pageStart()).isEqualTo(startOfPage1);
        assertThat(Lsn.MAX.pageOffset()).isEqualTo(8191);
        assertThat(Lsn.MAX.pageStart()).isEqualTo(Lsn.of(-8192L));
    }

    @Test
    void segmentMathAt16MiBBoundaries() {
        Lsn lastOfSeg0 = Lsn.of(SEG16M - 1);
        Lsn startOfSeg1 = Lsn.of(SEG16M);
        assertThat(lastOfSeg0.segmentNumber(SEG16M)).isZero();
        assertThat(lastOfSeg0.segmentOffset(SEG16M)).isEqualTo(SEG16M - 1);
        assertThat(lastOfSeg0.isSegmentStart(SEG16M)).isFalse();
        assertThat(lastOfSeg0.segmentStart(SEG16M)).isEqualTo(Lsn.INVALID);
        assertThat(startOfSeg1.segmentNumber(SEG16M)).isEqualTo(1);
        assertThat(startOfSeg1.segmentOffset(SEG16M)).isZero();
        assertThat(startOfSeg1.isSegmentStart(SEG16M)).isTrue();
        assertThat(Lsn.parse("1/0").segmentNumber(SEG16M)).isEqualTo(256);
        assertThat(Lsn.parse("1/1000000").segmentNumber(SEG16M)).isEqualTo(257);
        assertThat(Lsn.ofSegment(257, SEG16M)).isEqualTo(Lsn.parse("1/1000000"));
    }

    @ParameterizedTest
    @ValueSource(ints = {8192, 1 << 20, 1 << 24, 1 << 26, 1 << 30})
    void segmentMathForPowerOfTwoSizes(int size) {
        long segno = 0x1234;
        Lsn start = Lsn.ofSegment(segno, size);
        assertThat(start.value()).isEqualTo(segno * size);
        assertThat(start.segmentNumber(size)).isEqualTo(segno);
        assertThat(start.isSegmentStart(size)).isTrue();
        assertThat(start.plus(-1).segmentNumber(size)).isEqualTo(segno - 1);
        assertThat(start.plus(-1).segmentOffset(size)).isEqualTo(size - 1);
        assertThat(start.plus(size - 1).segmentStart(size)).isEqualTo(start);
        assertThat(start.plus(size).segmentNumber(size)).isEqualTo(segno + 1);
        // the top segment of the unsigned range
        assertThat(Lsn.MAX.segmentNumber(size)).isEqualTo(-1L >>> Integer.numberOfTrailingZeros(size));
        assertThat(Lsn.MAX.segmentOffset(size)).isEqualTo(size - 1);
        assertThat(Lsn.ofSegment(Lsn.MAX.segmentNumber(size), size)).isEqualTo(Lsn.MAX.segmentStart(size));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1, 4096, 3 * 1024 * 1024, Integer.MIN_VALUE})
    void rejectsSegmentSizesThatAreNotPowersOfTwoOfAtLeastAPage(int size) {
        assertThatThrownBy(() -> Lsn.of(1).segmentNumber(size))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(size));
    }

    @Test
    void rejectsSegmentNumbersBeyondTheRange() {
        assertThatThrownBy(() -> Lsn.ofSegment(1L << 40, SEG16M)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(1L << 40));
        assertThatThrownBy(() -> Lsn.ofSegment(-1, SEG16M)).isInstanceOf(IllegalArgumentException.class);
    }
}
