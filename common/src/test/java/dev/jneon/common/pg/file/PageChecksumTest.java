package dev.jneon.common.pg.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Vectors from postgres-formats I, computed by PostgreSQL's C implementation. */
class PageChecksumTest {

    private static byte[] emptyPage() {
        byte[] page = new byte[8192];
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putShort(12, (short) 24).putShort(14, (short) 8192)
                .putShort(16, (short) 8192).putShort(18, (short) 0x2004);
        return page;
    }

    @Test
    void emptyPageVectors() {
        assertThat(PageChecksum.compute(emptyPage(), 0)).isEqualTo(0x6560);
        assertThat(PageChecksum.compute(emptyPage(), 1)).isEqualTo(0x655F);
    }

    @Test
    void pageWithLsnVector() {
        byte[] page = emptyPage();
        PageChecksum.setPdLsn(page, Lsn.parse("1/01234568"));
        assertThat(PageChecksum.compute(page, 7)).isEqualTo(0x217B);
        assertThat(PageChecksum.pdLsn(page)).isEqualTo(Lsn.parse("1/1234568"));
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).as("xlogid = high half first").isEqualTo(1);
        assertThat(b.getInt(4)).isEqualTo(0x01234568);
    }

    @Test
    void bytePatternVector() {
        byte[] page = new byte[8192];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) i;
        }
        assertThat(PageChecksum.compute(page, 0)).isEqualTo(0xE706);
    }

    @Test
    void storedChecksumDoesNotTakePartAndSetWritesIt() {
        byte[] page = emptyPage();
        page[8] = 0x12;
        page[9] = 0x34;
        assertThat(PageChecksum.compute(page, 0)).isEqualTo(0x6560);
        PageChecksum.set(page, 1);
        assertThat(PageChecksum.stored(page)).isEqualTo(0x655F);
        page[10] = 1; // pd_flags, next to pd_checksum, does count
        assertThat(PageChecksum.compute(page, 1)).isNotEqualTo(0x655F);
    }

    @Test
    void newPagesStayUntouched() {
        byte[] page = new byte[8192];
        assertThat(PageChecksum.isNew(page)).isTrue();
        PageChecksum.set(page, 3);
        assertThat(page).containsOnly(0);
        assertThatThrownBy(() -> PageChecksum.compute(new byte[100], 0)).hasMessageContaining("8192 bytes");
    }
}
