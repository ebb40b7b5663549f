package dev.jneon.common.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PglzTest {

    @Test
    void literalsAndOverlappingBackReferences() {
        // control 0b0000_1000: three literals 'a' 'b' 'c', then a tag: length 3 + 6 = 9, offset 3
        byte[] src = {0x08, 'a', 'b', 'c', 0x06, 0x03};
        byte[] dst = new byte[12];
        assertThat(Pglz.decompressExactly(src, 0, src.length, dst, 0, dst.length)).isTrue();
        assertThat(new String(dst, StandardCharsets.US_ASCII)).isEqualTo("abcabcabcabc");
    }

    @Test
    void extendedLengthByte() {
        // one literal 'x', then a tag with nibble 15 (length 18) plus 100 extra: 118 copies of 'x'
        byte[] src = {0x02, 'x', 0x0F, 0x01, 100};
        byte[] dst = new byte[119];
        assertThat(Pglz.decompressExactly(src, 0, src.length, dst, 0, dst.length)).isTrue();
        for (byte b : dst) {
            assertThat(b).isEqualTo((byte) 'x');
        }
    }

    @Test
    void rejectsReferencesBeforeTheStartTruncatedTagsAndWrongSizes() {
        byte[] dst = new byte[16];
        assertThat(Pglz.decompressExactly(new byte[] {0x02, 'a', 0x00, 0x02}, 0, 4, dst, 0, 4)).isFalse();
        assertThat(Pglz.decompressExactly(new byte[] {0x02, 'a', 0x00, 0x00}, 0, 4, dst, 0, 4)).isFalse();
        assertThat(Pglz.decompressExactly(new byte[] {0x02, 'a', 0x00}, 0, 3, dst, 0, 4)).isFalse();
        assertThat(Pglz.decompressExactly(new byte[] {0x00, 'a', 'b'}, 0, 3, dst, 0, 3)).isFalse();
        assertThat(Pglz.decompressExactly(new byte[] {0x00, 'a', 'b', 'c'}, 0, 4, dst, 0, 2)).isFalse();
    }
}
