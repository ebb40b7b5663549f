package dev.jneon.compute.walproposer.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The CopyData payloads of postgres-formats.md J, byte for byte. */
class ReplicationMessageTest {

    @Test
    void parsesXLogDataAndKeepalive() {
        byte[] w = ByteBuffer.allocate(28).put((byte) 'w').putLong(0x16B5A50L).putLong(0x16B5A53L).putLong(7)
                .put(new byte[] {1, 2, 3}).array();
        var x = (ReplicationMessage.XLogData) ReplicationMessage.parse(w);
        assertThat(x.dataStart()).isEqualTo(Lsn.parse("0/16B5A50"));
        assertThat(x.walEnd()).isEqualTo(Lsn.parse("0/16B5A53"));
        assertThat(x.data()).containsExactly(1, 2, 3);

        byte[] k = ByteBuffer.allocate(18).put((byte) 'k').putLong(0x100L).putLong(9).put((byte) 1).array();
        assertThat(ReplicationMessage.parse(k)).isEqualTo(new ReplicationMessage.Keepalive(Lsn.of(0x100), 9, true));
        assertThatThrownBy(() -> ReplicationMessage.parse(new byte[] {'k', 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplicationMessage.parse(new byte[] {'x'})).hasMessageContaining("unknown");
    }

    @Test
    void standbyStatusCarriesThreePositionsAndAPostgresEpochTime() {
        Lsn lsn = Lsn.parse("1/20");
        byte[] r = ReplicationMessage.standbyStatus(lsn, lsn, lsn, 946_684_800_000_000L + 5);
        ByteBuffer b = ByteBuffer.wrap(r);
        assertThat(b.get()).isEqualTo((byte) 'r');
        assertThat(b.getLong()).isEqualTo(lsn.value());
        assertThat(b.getLong()).isEqualTo(lsn.value());
        assertThat(b.getLong()).isEqualTo(lsn.value());
        assertThat(b.getLong()).isEqualTo(5);
        assertThat(b.get()).isZero();
        assertThat(b.hasRemaining()).isFalse();
    }
}
