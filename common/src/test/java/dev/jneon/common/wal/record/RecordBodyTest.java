package dev.jneon.common.wal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed parsing of records the real-WAL tests do not produce (truncations, recovery end) and of malformed data. */
class RecordBodyTest {

    private static WalRecord record(int rmid, int info, ByteBuffer main) {
        main.flip();
        return new WalRecord(Lsn.of(0x1000028), Lsn.of(0x1000060), 24 + main.remaining(), 7, Lsn.of(0x1000000), info,
                rmid, List.of(), main.slice(), 0, 0, ByteBuffer.allocate(0));
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void clogTruncate() throws Exception {
        RecordBody body = RecordBody.of(record(3, 0x10, le(12).putInt(5).putInt(163840).putInt(1)));
        assertThat(body).isEqualTo(new ClogBody.Truncate(5, 163840, 1));
    }

    @Test
    void multiXactTruncateAndZeroPages() throws Exception {
        assertThat(RecordBody.of(record(6, 0x30, le(20).putInt(5).putInt(1).putInt(9).putInt(1).putInt(30))))
                .isEqualTo(new MultiXactBody.Truncate(5, 1, 9, 1, 30));
        assertThat(RecordBody.of(record(6, 0x10, le(4).putInt(3))))
                .isEqualTo(new MultiXactBody.ZeroPage(MultiXactBody.Slru.MEMBERS, 3));
    }

    @Test
    void endOfRecoveryAndSwitch() throws Exception {
        assertThat(RecordBody.of(record(0, 0x90, le(16).putLong(123L).putInt(2).putInt(1))))
                .isEqualTo(new XlogBody.EndOfRecovery(123L, 2, 1));
        assertThat(RecordBody.of(record(0, 0x40, le(0)))).isEqualTo(new XlogBody.Switch());
    }

    @Test
    void assignmentAndUnclassified() throws Exception {
        assertThat(RecordBody.of(record(1, 0x50, le(16).putInt(900).putInt(2).putInt(901).putInt(902))))
                .isEqualTo(new XactBody.Assignment(900, List.of(901, 902)));
        assertThat(RecordBody.of(record(10, 0x00, le(3).put((byte) 1).put((byte) 2).put((byte) 3))))
                .isInstanceOf(RecordBody.Unclassified.class);
    }

    @Test
    void malformedMainDataIsATypedError() {
        List<WalRecord> bad = List.of(
                record(0, 0x10, le(40)),
                record(3, 0x10, le(8).putInt(1).putInt(2)),
                record(6, 0x20, le(12).putInt(1).putInt(1).putInt(1_000_000)),
                record(6, 0x20, le(20).putInt(1).putInt(1).putInt(1).putInt(5).putInt(77)),
                record(1, 0x50, le(8).putInt(900).putInt(-1)),
                record(1, 0x80, le(16).putLong(0).putInt(XactBody.XINFO_HAS_SUBXACTS).putInt(3)),
                record(1, 0x90, le(80).putInt(0x12345678)),
                record(2, 0x10, le(16).putInt(1663).putInt(5).putInt(1).putInt(9)),
                record(4, 0x20, le(8).putInt(5).putInt(Integer.MAX_VALUE)),
                record(7, 0x00, le(12).putInt(0).putInt(1664).putInt(512)));
        for (WalRecord r : bad) {
            assertThatThrownBy(() -> RecordBody.of(r)).as("rmgr %s info %x", r.rmgr(), r.info())
                    .isInstanceOfSatisfying(WalDecodeException.class,
                            e -> assertThat(e.kind()).isEqualTo(WalDecodeException.Kind.BAD_MAIN_DATA));
        }
    }
}
