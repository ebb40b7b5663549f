package dev.jneon.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTest {

    private static final Key BLOCK = Key.relBlock(new RelTag(1663, 5, 0x400C, ForkNumber.MAIN), 0x7D06);

    @Test
    void textIs36UppercaseHex() {
        assertThat(BLOCK.toString()).isEqualTo("000000067F000000050000400C0000007D06");
        assertThat(Key.MIN.toString()).isEqualTo("000000000000000000000000000000000000");
        assertThat(Key.MAX.toString()).isEqualTo("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
        assertThat(Key.parse("000000067f000000050000400c0000007d06")).isEqualTo(BLOCK);
        assertThat(Key.parse(Key.MAX.toString())).isEqualTo(Key.MAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "000000067F000000050000400C0000007D0", "000000067F000000050000400C0000007D066",
            "000000067F000000050000400C0000007DG6", "+00000067F000000050000400C0000007D06"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Key.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void rejectsFieldsOutsideTheirWidth() {
        assertThatThrownBy(() -> new Key(0x100, 0, 0, 0, 0, 0)).hasMessageContaining("field1=256");
        assertThatThrownBy(() -> new Key(0, 0, 0, 0, -1, 0)).hasMessageContaining("field5=-1");
    }

    @Test
    void bytesAreBigEndianInFieldOrder() {
        byte[] bytes = BLOCK.toBytes();
        assertThat(HexFormat.of().withUpperCase().formatHex(bytes)).isEqualTo(BLOCK.toString());
        assertThat(Key.fromBytes(bytes, 0)).isEqualTo(BLOCK);
        byte[] padded = new byte[20];
        Key.MAX.writeTo(padded, 2);
        assertThat(Key.fromBytes(padded, 2)).isEqualTo(Key.MAX);
        assertThatThrownBy(() -> Key.fromBytes(new byte[18], 1)).hasMessageContaining("have 17");
    }

    @Test
    void orderMatchesUnsignedByteOrder() {
        Random random = new Random(42);
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            keys.add(new Key(random.nextInt(256), random.nextInt(4) - 2, random.nextInt(), random.nextInt(3) - 1,
                    random.nextInt(256), random.nextInt()));
        }
        for (Key a : keys.subList(0, 50)) {
            for (Key b : keys) {
                int byBytes = Integer.signum(java.util.Arrays.compareUnsigned(a.toBytes(), b.toBytes()));
                assertThat(Integer.signum(a.compareTo(b))).as("%s vs %s", a, b).isEqualTo(byBytes);
            }
        }
        assertThat(new Key(0, 0x8000_0000, 0, 0, 0, 0)).isGreaterThan(new Key(0, 0x7FFF_FFFF, 0, 0, 0, 0));
        assertThat(new Key(0, 0, 0, 0, 0x80, 0)).isGreaterThan(new Key(0, 0, 0, 0, 0x7F, -1));
    }

    @Test
    void nextCarriesThroughEveryField() {
        assertThat(Key.MIN.next()).isEqualTo(new Key(0, 0, 0, 0, 0, 1));
        assertThat(new Key(0, 0, 0, 0, 0, -1).next()).isEqualTo(new Key(0, 0, 0, 0, 1, 0));
        assertThat(new Key(0, 0, 0, 0, 0xFF, -1).next()).isEqualTo(new Key(0, 0, 0, 1, 0, 0));
        assertThat(new Key(0, 0, 0, -1, 0xFF, -1).next()).isEqualTo(new Key(0, 0, 1, 0, 0, 0));
        assertThat(new Key(0, 0, -1, -1, 0xFF, -1).next()).isEqualTo(new Key(0, 1, 0, 0, 0, 0));
        assertThat(new Key(0x7F, -1, -1, -1, 0xFF, -1).next()).isEqualTo(new Key(0x80, 0, 0, 0, 0, 0));
        assertThatThrownBy(Key.MAX::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void compactFormRoundTripsAndKeepsOrder() {
        CompactKey compact = BLOCK.toCompact();
        // (f1&7F)<<120 | f2<<104 | f3<<72 | f4<<40 | f5<<32 | f6
        assertThat(compact.toString()).isEqualTo("00" + "067F" + "00000005" + "0000400C" + "00" + "00007D06");
        assertThat(compact.toKey()).isEqualTo(BLOCK);
        Key top = new Key(0x7F, 0xFFFF, -1, -1, 0xFF, -1);
        assertThat(top.toCompact()).isEqualTo(new CompactKey(Long.MAX_VALUE, -1L));
        assertThat(Key.fromCompact(new CompactKey(Long.MAX_VALUE, -1L))).isEqualTo(top);
        Random random = new Random(7);
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Key k = new Key(random.nextInt(0x80), random.nextInt(0x10000), random.nextInt(), random.nextInt(),
                    random.nextInt(256), random.nextInt());
            assertThat(Key.fromCompact(k.toCompact())).isEqualTo(k);
            keys.add(k);
        }
        for (Key a : keys.subList(0, 30)) {
            for (Key b : keys) {
                assertThat(Integer.signum(a.toCompact().compareTo(b.toCompact()))).isEqualTo(Integer.signum(a.compareTo(b)));
            }
        }
    }

    @Test
    void compactFormRejectsKeysItCannotHold() {
        assertThat(Key.MAX.isCompactRepresentable()).isFalse();
        assertThatThrownBy(Key.MAX::toCompact).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Key.MAX.toString());
        assertThatThrownBy(() -> new Key(0, 0x10000, 0, 0, 0, 0).toCompact()).hasMessageContaining("field2");
        assertThatThrownBy(() -> new Key(0x80, 0, 0, 0, 0, 0).toCompact()).hasMessageContaining("field1");
        assertThatThrownBy(() -> new CompactKey(-1, 0)).hasMessageContaining("bit 127");
    }
}
