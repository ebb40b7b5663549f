package dev.jneon.common.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalDecoderTest {

    private static final WalSample SAMPLE = WalSample.load("spanning");

    @Test
    void startMustBeAPageStartOrAnAlignedPositionAfterTheHeader() {
        assertThatThrownBy(() -> new WalDecoder(Lsn.of(0x2000010))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WalDecoder(Lsn.of(0x2002010))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WalDecoder(Lsn.of(0x2002031))).isInstanceOf(IllegalArgumentException.class);
        new WalDecoder(Lsn.of(0x2000028));
        new WalDecoder(Lsn.of(0x2002018));
        new WalDecoder(Lsn.of(0x2002000));
    }

    @Test
    void inputEndingInsideARecordIsTruncated() throws Exception {
        WalDecoder d = new WalDecoder(SAMPLE.start());
        d.feed(SAMPLE.bytes(), 0, 100);
        assertThat(d.next()).isNull();
        assertThatThrownBy(d::finish).isInstanceOfSatisfying(WalDecodeException.class, e -> {
            assertThat(e.kind()).isEqualTo(WalDecodeException.Kind.TRUNCATED);
            assertThat(e.lsn()).isEqualTo(SAMPLE.start());
        });
    }

    @Test
    void aHugeRecordLengthAllocatesOnlyWhatArrives() throws Exception {
        byte[] wal = Arrays.copyOf(SAMPLE.bytes(), 200_000);
        ByteBuffer.wrap(wal).order(ByteOrder.LITTLE_ENDIAN).putInt(0, WalFormat.MAX_RECORD_SIZE);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        WalDecoder d = new WalDecoder(SAMPLE.start());
        d.feed(wal);
        WalDecodeException e = null;
        try {
            assertThat(d.next()).isNull();
        } catch (WalDecodeException thrown) {
            e = thrown;
        }
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(8L << 20);
        assertThat(e).as("the record is still being gathered, or a page continuation disagrees").satisfiesAnyOf(
                x -> assertThat(x).isNull(),
                x -> assertThat(x.kind()).isEqualTo(WalDecodeException.Kind.BAD_CONTINUATION));
    }

    @Test
    void aFlippedBitFailsTheCrcAndTheErrorSticks() throws Exception {
        byte[] wal = SAMPLE.bytes().clone();
        wal[40] ^= 1;
        WalDecoder d = new WalDecoder(SAMPLE.start());
        d.feed(wal);
        assertThatThrownBy(d::next).isInstanceOfSatisfying(WalDecodeException.class,
                e -> assertThat(e.kind()).isEqualTo(WalDecodeException.Kind.BAD_CRC));
        assertThatThrownBy(d::next).isInstanceOf(WalDecodeException.class);
    }

    @Test
    void aRecycledOrZeroedPageIsTheEndOfTheWal() throws Exception {
        int firstPage = (int) (WalFormat.PAGE_SIZE - SAMPLE.start().pageOffset());
        byte[] recycled = SAMPLE.bytes().clone();
        ByteBuffer.wrap(recycled).order(ByteOrder.LITTLE_ENDIAN).putLong(firstPage + 8,
                SAMPLE.start().pageStart().value() + WalFormat.PAGE_SIZE - Lsn.DEFAULT_SEGMENT_SIZE);
        assertThat(endOfWal(recycled).kind()).isEqualTo(WalDecodeException.Kind.END_OF_WAL);
        byte[] zeroed = SAMPLE.bytes().clone();
        Arrays.fill(zeroed, firstPage, firstPage + WalFormat.PAGE_SIZE, (byte) 0);
        assertThat(endOfWal(zeroed).kind()).isEqualTo(WalDecodeException.Kind.END_OF_WAL);
    }

    @Test
    void anOverwrittenContinuationDropsThePartialRecordAndGoesOn() throws Exception {
        List<WalRecord> clean = SAMPLE.decode(1 << 20);
        WalRecord torn = clean.stream().skip(1)
                .filter(r -> !r.lsn().pageStart().equals(r.endLsn().plus(-1).pageStart())).findFirst().orElseThrow();
        Lsn page = torn.lsn().pageStart().plus(WalFormat.PAGE_SIZE);
        int header = WalFormat.pageHeaderSize(page.value(), Lsn.DEFAULT_SEGMENT_SIZE);
        int at = (int) page.minus(SAMPLE.start());
        byte[] wal = Arrays.copyOf(SAMPLE.bytes(), at + header + 48);
        ByteBuffer b = ByteBuffer.wrap(wal).order(ByteOrder.LITTLE_ENDIAN);
        int info = b.getShort(at + 2);
        b.putShort(at + 2, (short) ((info & ~WalFormat.XLP_FIRST_IS_CONTRECORD) | WalFormat.XLP_FIRST_IS_OVERWRITE_CONTRECORD));
        b.putInt(at + 16, 0);
        int rec = at + header;
        Arrays.fill(wal, rec, wal.length, (byte) 0);
        b.putInt(rec, 42).putInt(rec + 4, 0).putLong(rec + 8, torn.prev().value()).put(rec + 16, (byte) 0xD0)
                .put(rec + 17, (byte) 0).put(rec + 24, (byte) WalFormat.XLR_BLOCK_ID_DATA_SHORT).put(rec + 25, (byte) 16)
                .putLong(rec + 26, torn.lsn().value()).putLong(rec + 34, 0);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(wal, rec + 24, 18);
        crc.update(wal, rec, 20);
        b.putInt(rec + 20, (int) crc.getValue());

        WalDecoder d = new WalDecoder(SAMPLE.start());
        d.feed(wal);
        List<WalRecord> records = new java.util.ArrayList<>();
        WalRecord r;
        while ((r = d.next()) != null) {
            records.add(r);
        }
        d.finish();
        WalRecord overwrite = records.getLast();
        assertThat(records).hasSize(clean.indexOf(torn) + 1);
        assertThat(overwrite.identify()).isEqualTo("OVERWRITE_CONTRECORD");
        assertThat(overwrite.lsn()).isEqualTo(page.plus(header));
        assertThat(overwrite.prev()).isEqualTo(torn.prev());
    }

    private static WalDecodeException endOfWal(byte[] wal) {
        WalDecoder d = new WalDecoder(SAMPLE.start());
        d.feed(wal);
        try {
            while (d.next() != null) {
                // the records of the first page are intact
            }
        } catch (WalDecodeException e) {
            assertThat(e.lsn()).isEqualTo(SAMPLE.start().pageStart().plus(WalFormat.PAGE_SIZE));
            return e;
        }
        throw new AssertionError("no error");
    }
}
