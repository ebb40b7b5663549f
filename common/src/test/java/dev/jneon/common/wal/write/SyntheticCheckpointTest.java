package dev.jneon.common.wal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.CheckPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticCheckpointTest {

    private static final int SEG = 16 * 1024 * 1024;
    private static final int PAGE = 8192;
    private static final long SYSID = 7711320149741478572L;
    private static final Instant NOW = Instant.ofEpochSecond(1_795_431_634L);
    /** Tracked state with fields that a fresh shutdown checkpoint must replace set to odd values. */
    private static final CheckPoint TRACKED = new CheckPoint(0x1234, 7, 6, false, (1L << 32) | 724, 13573, 9, 40, 716,
            1, 2, 1, 42, 5, 6, 700);

    private static SyntheticCheckpoint build(long x) {
        return SyntheticCheckpoint.build(Lsn.of(x), Lsn.of(0x100_0028), TRACKED, SYSID, SEG, NOW);
    }

    private static Map<Long, byte[]> bySegno(SyntheticCheckpoint s) {
        return s.segments().stream().collect(Collectors.toMap(WalSegmentFile::segmentNumber, WalSegmentFile::content));
    }

    private static byte[] reread(SyntheticCheckpoint s) {
        return WalBytes.readRecord(bySegno(s)::get, SEG, s.checkpointLsn().value()).bytes();
    }

    @Test
    void normalizeMovesPastPageAndSegmentHeadersOnly() {
        assertThat(SyntheticCheckpoint.normalize(Lsn.of(0x2000_0000L + 5 * PAGE), SEG)).isEqualTo(Lsn.of(0x2000_0000L + 5 * PAGE + 24));
        assertThat(SyntheticCheckpoint.normalize(Lsn.of(0x2000_0000L), SEG)).isEqualTo(Lsn.of(0x2000_0000L + 40));
        assertThat(SyntheticCheckpoint.normalize(Lsn.of(0x2000_0000L + 5 * PAGE + 8), SEG)).isEqualTo(Lsn.of(0x2000_0000L + 5 * PAGE + 8));
        assertThat(SyntheticCheckpoint.normalize(Lsn.of(0x2000_0000L + 40), SEG)).isEqualTo(Lsn.of(0x2000_0000L + 40));
    }

    @Test
    void recordHoldsAFreshShutdownCheckPointWithRedoAtC() {
        long x = 0x3000_0000L + 3 * PAGE + 512;
        SyntheticCheckpoint s = build(x);
        assertThat(s.checkpointLsn()).isEqualTo(Lsn.of(x));
        CheckPoint expected = new CheckPoint(x, 1, 1, true, (1L << 32) | 724, 13573, 9, 40, 716, 1, 2, 1,
                NOW.getEpochSecond(), 0, 0, 0);
        assertThat(s.checkPoint()).isEqualTo(expected);
        byte[] rec = reread(s);
        assertThat(rec).hasSize(114);
        ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(114);
        assertThat(b.getInt(4)).isZero();
        assertThat(b.getLong(8)).isEqualTo(0x100_0028L);
        assertThat(rec[16]).isZero();
        assertThat(rec[17]).isZero();
        assertThat(rec[24] & 0xFF).isEqualTo(0xFF);
        assertThat(rec[25] & 0xFF).isEqualTo(0x58);
        assertThat(CheckPoint.decode(rec, 26)).isEqualTo(expected);
        assertThat(b.getInt(20)).isEqualTo(MainDataRecord.crc(rec));
        assertThat(s.endLsn()).isEqualTo(Lsn.of(x + 120));
        assertThat(s.nextRecordLsn()).isEqualTo(Lsn.of(x + 120));
        assertThat(s.segments()).singleElement().extracting(WalSegmentFile::name).isEqualTo("000000010000000000000030");
    }

    @Test
    void xOnAPageBoundary() {
        long x = 0x3000_0000L + 3 * PAGE;
        SyntheticCheckpoint s = build(x);
        assertThat(s.checkpointLsn()).isEqualTo(Lsn.of(x + 24));
        assertThat(WalPageHeader.readFrom(bySegno(s).get(0x30L), 3 * PAGE)).isEqualTo(new WalPageHeader(0, x, 0, 0, 0));
        assertThat(WalPageHeader.readFrom(bySegno(s).get(0x30L), 0))
                .isEqualTo(new WalPageHeader(2, 0x3000_0000L, 0, SYSID, SEG));
        assertThat(s.endLsn()).isEqualTo(Lsn.of(x + 24 + 120));
        assertThat(s.checkPoint().redo()).isEqualTo(x + 24);
    }

    @Test
    void xOnASegmentBoundary() {
        long x = 0x3000_0000L;
        SyntheticCheckpoint s = build(x);
        assertThat(s.checkpointLsn()).isEqualTo(Lsn.of(x + 40));
        assertThat(s.segments()).hasSize(1);
        assertThat(WalPageHeader.readFrom(bySegno(s).get(0x30L), 0)).isEqualTo(new WalPageHeader(2, x, 0, SYSID, SEG));
        assertThat(reread(s)).hasSize(114);
    }

    @Test
    void recordCrossingAPageIsSplit56Plus58() {
        long pageEnd = 0x3000_0000L + 4 * PAGE;
        SyntheticCheckpoint s = build(pageEnd - 56);
        assertThat(WalPageHeader.readFrom(bySegno(s).get(0x30L), 4 * PAGE)).isEqualTo(new WalPageHeader(1, pageEnd, 58, 0, 0));
        assertThat(MainDataRecord.crc(reread(s))).isEqualTo(ByteBuffer.wrap(reread(s)).order(ByteOrder.LITTLE_ENDIAN).getInt(20));
        assertThat(s.endLsn()).isEqualTo(Lsn.of(pageEnd + 24 + 64));
        assertThat(s.nextRecordLsn()).isEqualTo(s.endLsn());
    }

    @Test
    void onlyTheFirstEightBytesFitOnThePage() {
        long pageEnd = 0x3000_0000L + 4 * PAGE;
        SyntheticCheckpoint s = build(pageEnd - 8);
        byte[] seg = bySegno(s).get(0x30L);
        assertThat(WalPageHeader.readFrom(seg, 4 * PAGE)).isEqualTo(new WalPageHeader(1, pageEnd, 106, 0, 0));
        assertThat(ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN).getInt(4 * PAGE - 8)).isEqualTo(114);
        assertThat(reread(s)).hasSize(114);
    }

    @Test
    void recordCrossingASegmentYieldsTwoFiles() {
        long segEnd = 0x3100_0000L;
        SyntheticCheckpoint s = build(segEnd - 48);
        assertThat(s.segments()).extracting(WalSegmentFile::name)
                .containsExactly("000000010000000000000030", "000000010000000000000031");
        assertThat(WalPageHeader.readFrom(bySegno(s).get(0x31L), 0)).isEqualTo(new WalPageHeader(3, segEnd, 66, SYSID, SEG));
        assertThat(s.endLsn()).isEqualTo(Lsn.of(segEnd + 40 + 72));
        assertThat(reread(s)).hasSize(114);
        byte[] second = bySegno(s).get(0x31L);
        assertThat(Arrays.mismatch(second, 40 + 72, SEG, new byte[SEG], 40 + 72, SEG)).as("rest of segment zero").isEqualTo(-1);
    }

    @Test
    void recordEndingExactlyAtAPageEnd() {
        long pageEnd = 0x3000_0000L + 4 * PAGE;
        SyntheticCheckpoint s = build(pageEnd - 120);
        assertThat(s.endLsn()).isEqualTo(Lsn.of(pageEnd));
        assertThat(s.nextRecordLsn()).isEqualTo(Lsn.of(pageEnd + 24));
        assertThat(bySegno(s).get(0x30L)[4 * PAGE]).as("next page not written").isZero();
    }

    @Test
    void recordEndingExactlyAtASegmentEnd() {
        long segEnd = 0x3100_0000L;
        SyntheticCheckpoint s = build(segEnd - 120);
        assertThat(s.segments()).hasSize(1);
        assertThat(s.endLsn()).isEqualTo(Lsn.of(segEnd));
        assertThat(s.nextRecordLsn()).isEqualTo(Lsn.of(segEnd + 40));
    }

    @Test
    void rejectsBadInput() {
        Lsn prev = Lsn.of(0x100_0028);
        assertThatThrownBy(() -> SyntheticCheckpoint.build(Lsn.of(0x300_0004L), prev, TRACKED, SYSID, SEG, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0/3000004 is not 8-aligned");
        assertThatThrownBy(() -> SyntheticCheckpoint.build(Lsn.INVALID, prev, TRACKED, SYSID, SEG, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a valid LSN");
        assertThatThrownBy(() -> SyntheticCheckpoint.build(Lsn.of(0x300_0000L), Lsn.of(0x300_0028L), TRACKED, SYSID, SEG, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prev 0/3000028").hasMessageContaining("must precede the checkpoint LSN 0/3000028");
        assertThatThrownBy(() -> SyntheticCheckpoint.build(Lsn.of(0x300_1000L), Lsn.of(0x400_0000L), TRACKED, SYSID, SEG, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must precede");
        CheckPoint lowXid = TRACKED.withRedo(0);
        CheckPoint badXid = new CheckPoint(0, 1, 1, true, 2, lowXid.nextOid(), 1, 0, 3, 1, 1, 1, 0, 0, 0, 0);
        assertThatThrownBy(() -> SyntheticCheckpoint.build(Lsn.of(0x300_1000L), prev, badXid, SYSID, SEG, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nextXid 2");
    }

    @Test
    void prevZeroIsAccepted() {
        SyntheticCheckpoint s = SyntheticCheckpoint.build(Lsn.of(0x300_1000L), Lsn.INVALID, TRACKED, SYSID, SEG, NOW);
        assertThat(ByteBuffer.wrap(reread(s)).order(ByteOrder.LITTLE_ENDIAN).getLong(8)).isZero();
    }
}
