package dev.jneon.common.wal.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WalSegmentWriterTest {

    private static final int SEG = 16 * 1024 * 1024;
    private static final int PAGE = 8192;
    private static final long SYSID = 7711320149741478572L;
    private static final long SEG_START = 3L * SEG;

    private static byte[] record(int dataLength, int fill) {
        byte[] data = new byte[dataLength];
        java.util.Arrays.fill(data, (byte) fill);
        return new MainDataRecord(0, Lsn.of(8), 0x20, 0, data).encode();
    }

    private static Map<Long, byte[]> bySegno(List<WalSegmentFile> files) {
        return files.stream().collect(Collectors.toMap(WalSegmentFile::segmentNumber, WalSegmentFile::content));
    }

    private static WalPageHeader header(List<WalSegmentFile> files, long pageLsn) {
        return WalPageHeader.readFrom(bySegno(files).get(pageLsn / SEG), (int) (pageLsn % SEG));
    }

    @Test
    void segmentStartGetsLongHeaderAndRecordAfterIt() {
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START));
        byte[] rec = record(88, 1);
        Lsn start = w.append(rec);
        assertThat(start).isEqualTo(Lsn.of(SEG_START + 40));
        assertThat(w.endLsn()).isEqualTo(Lsn.of(SEG_START + 40 + 120));
        List<WalSegmentFile> files = w.finish();
        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("000000010000000000000003");
            assertThat(f.content()).hasSize(SEG);
        });
        assertThat(header(files, SEG_START)).isEqualTo(new WalPageHeader(0x2, SEG_START, 0, SYSID, SEG));
        var read = WalBytes.readRecord(bySegno(files)::get, SEG, start.value());
        assertThat(read.bytes()).isEqualTo(rec);
    }

    @Test
    void recordSplitAcrossPagesAs56Plus58() {
        long page = SEG_START + 5 * PAGE;
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(page + PAGE - 56));
        byte[] rec = record(88, 2);
        Lsn start = w.append(rec);
        assertThat(start).isEqualTo(Lsn.of(page + PAGE - 56));
        var files = w.finish();
        assertThat(header(files, page + PAGE)).isEqualTo(new WalPageHeader(0x1, page + PAGE, 58, 0, 0));
        byte[] seg = bySegno(files).get(3L);
        assertThat(java.util.Arrays.copyOfRange(seg, (int) (page % SEG) + PAGE - 56, (int) (page % SEG) + PAGE))
                .isEqualTo(java.util.Arrays.copyOfRange(rec, 0, 56));
        int next = (int) ((page + PAGE) % SEG) + 24;
        assertThat(java.util.Arrays.copyOfRange(seg, next, next + 58)).isEqualTo(java.util.Arrays.copyOfRange(rec, 56, 114));
        assertThat(w.endLsn()).isEqualTo(Lsn.of(page + PAGE + 24 + 64));
        assertThat(WalBytes.readRecord(bySegno(files)::get, SEG, start.value()).bytes()).isEqualTo(rec);
    }

    @Test
    void onlyEightBytesOnTheFirstPage() {
        long pageEnd = SEG_START + 9 * PAGE;
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(pageEnd - 8));
        byte[] rec = record(88, 3);
        w.append(rec);
        var files = w.finish();
        assertThat(header(files, pageEnd).remainingLength()).isEqualTo(106);
        assertThat(WalBytes.readRecord(bySegno(files)::get, SEG, pageEnd - 8).bytes()).isEqualTo(rec);
        assertThat(w.endLsn()).isEqualTo(Lsn.of(pageEnd + 24 + 112));
    }

    @Test
    void recordCrossingIntoTheNextSegmentMakesASecondFileWithContinuedLongHeader() {
        long segEnd = SEG_START + SEG;
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(segEnd - 48));
        byte[] rec = record(88, 4);
        w.append(rec);
        var files = w.finish();
        assertThat(files).extracting(WalSegmentFile::name)
                .containsExactly("000000010000000000000003", "000000010000000000000004");
        assertThat(header(files, segEnd)).isEqualTo(new WalPageHeader(0x3, segEnd, 66, SYSID, SEG));
        assertThat(header(files, SEG_START)).isEqualTo(new WalPageHeader(0x2, SEG_START, 0, SYSID, SEG));
        assertThat(WalBytes.readRecord(bySegno(files)::get, SEG, segEnd - 48).bytes()).isEqualTo(rec);
        assertThat(w.endLsn()).isEqualTo(Lsn.of(segEnd + 40 + 72));
    }

    @Test
    void longRecordContinuesOverSeveralPagesWithDecreasingRemLen() {
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START + PAGE + 24));
        byte[] rec = record(20000, 5);
        Lsn start = w.append(rec);
        var files = w.finish();
        int total = rec.length;
        int firstPart = PAGE - 24;
        assertThat(header(files, SEG_START + 2 * PAGE).remainingLength()).isEqualTo(total - firstPart);
        assertThat(header(files, SEG_START + 3 * PAGE).remainingLength()).isEqualTo(total - firstPart - (PAGE - 24));
        assertThat(WalBytes.readRecord(bySegno(files)::get, SEG, start.value()).bytes()).isEqualTo(rec);
    }

    @Test
    void recordEndingOnAPageBoundaryPushesTheNextPastTheHeader() {
        long pageEnd = SEG_START + 2 * PAGE;
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(pageEnd - 120));
        Lsn first = w.append(record(88, 6));
        assertThat(w.endLsn()).isEqualTo(Lsn.of(pageEnd));
        assertThat(w.nextRecordLsn()).isEqualTo(Lsn.of(pageEnd + 24));
        byte[] second = record(10, 7);
        Lsn secondStart = w.append(second);
        assertThat(secondStart).isEqualTo(Lsn.of(pageEnd + 24));
        var files = w.finish();
        assertThat(header(files, pageEnd)).isEqualTo(new WalPageHeader(0, pageEnd, 0, 0, 0));
        assertThat(WalBytes.readRecord(bySegno(files)::get, SEG, first.value()).endExclusive()).isEqualTo(pageEnd - 6);
        assertThat(WalBytes.readRecord(bySegno(files)::get, SEG, secondStart.value()).bytes()).isEqualTo(second);
    }

    @Test
    void consecutiveRecordsAreEightAligned() {
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START + 40));
        Lsn a = w.append(record(3, 1));
        Lsn b = w.append(record(3, 2));
        assertThat(a).isEqualTo(Lsn.of(SEG_START + 40));
        assertThat(b).isEqualTo(Lsn.of(SEG_START + 40 + 32));
    }

    @Test
    void startInsideAPageClaimsTheBytesBeforeItAsAContinuation() {
        long page = SEG_START + 7 * PAGE;
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(page + 1000));
        w.append(record(88, 8));
        var files = w.finish();
        assertThat(header(files, page)).isEqualTo(new WalPageHeader(0x1, page, 1000 - 24, 0, 0));
        assertThat(header(files, SEG_START)).isEqualTo(new WalPageHeader(0x2, SEG_START, 0, SYSID, SEG));
        for (long p = SEG_START + PAGE; p < page; p += PAGE) {
            assertThat(bySegno(files).get(3L)[(int) (p % SEG)]).as("page %x untouched", p).isZero();
        }
    }

    @Test
    void startRightAfterAHeaderKeepsContrecordClear() {
        long page = SEG_START + 7 * PAGE;
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(page + 24));
        w.append(record(88, 9));
        assertThat(header(w.finish(), page)).isEqualTo(new WalPageHeader(0, page, 0, 0, 0));
        var v = new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START + 40));
        v.append(record(88, 9));
        assertThat(header(v.finish(), SEG_START)).isEqualTo(new WalPageHeader(0x2, SEG_START, 0, SYSID, SEG));
    }

    @Test
    void startInsideTheFirstPageBeyondTheLongHeaderClaimsAContinuationThere() {
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START + 200));
        w.append(record(88, 10));
        assertThat(header(w.finish(), SEG_START)).isEqualTo(new WalPageHeader(0x3, SEG_START, 160, SYSID, SEG));
    }

    @Test
    void rejectsBadStartsAndSizes() {
        assertThatThrownBy(() -> new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START + 12)))
                .hasMessageContaining("8-aligned");
        assertThatThrownBy(() -> new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START + PAGE + 16)))
                .hasMessageContaining("inside the 24-byte header");
        assertThatThrownBy(() -> new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START + 32)))
                .hasMessageContaining("inside the 40-byte header");
        assertThatThrownBy(() -> new WalSegmentWriter(SYSID, 3 << 20, Lsn.of(SEG_START)))
                .hasMessageContaining("power of two");
        assertThatThrownBy(() -> new WalSegmentWriter(SYSID, SEG, Lsn.INVALID)).hasMessageContaining("valid");
        var w = new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START));
        w.finish();
        assertThatThrownBy(() -> w.append(record(1, 1))).hasMessageContaining("finished");
        Function<byte[], Lsn> tooShort = new WalSegmentWriter(SYSID, SEG, Lsn.of(SEG_START))::append;
        assertThatThrownBy(() -> tooShort.apply(new byte[23])).hasMessageContaining("at least 24");
    }
}
