package dev.jneon.common.wal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class MainDataRecordTest {

    /** Bit-at-a-time CRC-32C (reflected 0x82F63B78), independent of java.util.zip. */
    private static int bitwiseCrc32c(byte[]... parts) {
        int crc = 0xFFFFFFFF;
        for (byte[] part : parts) {
            for (byte value : part) {
                crc ^= value & 0xFF;
                for (int k = 0; k < 8; k++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
                }
            }
        }
        return ~crc;
    }

    @Test
    void crc32cMatchesTheCastagnoliCheckValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(bitwiseCrc32c(check)).isEqualTo(0xE3069283);
        CRC32C jdk = new CRC32C();
        jdk.update(check);
        assertThat((int) jdk.getValue()).isEqualTo(0xE3069283);
    }

    @Test
    void shortMainDataRecordLayoutAndCrc() {
        byte[] data = new byte[88];
        Arrays.fill(data, (byte) 0x5A);
        byte[] rec = new MainDataRecord(0x1234, Lsn.of(0x1_0200_0028L), 0x10, 0, data).encode();
        assertThat(rec).hasSize(114);
        ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(114);
        assertThat(b.getInt(4)).isEqualTo(0x1234);
        assertThat(b.getLong(8)).isEqualTo(0x1_0200_0028L);
        assertThat(rec[16]).isEqualTo((byte) 0x10);
        assertThat(rec[17]).isZero();
        assertThat(rec[18]).isZero();
        assertThat(rec[19]).isZero();
        assertThat(rec[24] & 0xFF).isEqualTo(0xFF);
        assertThat(rec[25] & 0xFF).isEqualTo(88);
        assertThat(Arrays.copyOfRange(rec, 26, 114)).isEqualTo(data);
        int expected = bitwiseCrc32c(Arrays.copyOfRange(rec, 24, 114), Arrays.copyOfRange(rec, 0, 20));
        assertThat(b.getInt(20)).isEqualTo(expected);
    }

    @Test
    void longMainDataUsesTheU32LengthHeader() {
        byte[] data = new byte[300];
        data[299] = 7;
        byte[] rec = new MainDataRecord(0, Lsn.INVALID, 0x30, 0, data).encode();
        ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(rec).hasSize(24 + 5 + 300);
        assertThat(b.getInt(0)).isEqualTo(rec.length);
        assertThat(rec[24] & 0xFF).isEqualTo(0xFE);
        assertThat(b.getInt(25)).isEqualTo(300);
        assertThat(rec[rec.length - 1]).isEqualTo((byte) 7);
        assertThat(b.getInt(20)).isEqualTo(bitwiseCrc32c(Arrays.copyOfRange(rec, 24, rec.length), Arrays.copyOfRange(rec, 0, 20)));
    }

    @Test
    void crcChangesWithEveryCoveredByte() {
        byte[] rec = new MainDataRecord(0, Lsn.of(8), 0, 0, new byte[] {1, 2, 3}).encode();
        int crc = MainDataRecord.crc(rec);
        for (int i = 0; i < rec.length; i++) {
            if (i >= 20 && i < 24) {
                continue;
            }
            byte[] flipped = rec.clone();
            flipped[i] ^= 1;
            assertThat(MainDataRecord.crc(flipped)).as("byte %d", i).isNotEqualTo(crc);
        }
    }

    @Test
    void rejectsBadFields() {
        assertThatThrownBy(() -> new MainDataRecord(0, Lsn.INVALID, 0x100, 0, new byte[1]))
                .hasMessageContaining("single bytes");
        assertThatThrownBy(() -> new MainDataRecord(0, Lsn.INVALID, 0, 0, new byte[0]))
                .hasMessageContaining("at least one byte");
        assertThatThrownBy(() -> new MainDataRecord(0, null, 0, 0, new byte[1])).hasMessageContaining("xl_prev");
    }
}
