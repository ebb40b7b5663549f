package dev.jneon.common.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.record.RecordBody;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** The golden PG15 WAL samples (format v1) decode exactly as pg_waldump lists them, in any chunking. */
class WalGoldenTest {

    static Stream<Arguments> samplesAndChunks() {
        return WalSample.NAMES.stream().flatMap(n -> Stream.of(1, 7, 24, 4096, 8192, 100_000, Integer.MAX_VALUE)
                .map(c -> Arguments.of(n, c)));
    }

    @ParameterizedTest(name = "{0} in chunks of {1}")
    @MethodSource("samplesAndChunks")
    void decodesLikePgWaldump(String name, int chunk) throws Exception {
        WalSample s = WalSample.load(name);
        List<WalRecord> records = s.decode(chunk);
        assertThat(PgWaldumpComparison.mismatches(records, s.listing())).isEmpty();
        assertThat(records.getLast().endLsn()).isEqualTo(s.end());
        for (WalRecord r : records) {
            RecordBody.of(r);
            for (BlockReference b : r.blocks()) {
                if (b.hasImage()) {
                    assertThat(WalDecoderPgWaldumpIT.saneHeader(b.image().restore())).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void spanningSampleHasARecordAcrossTheSegmentBoundary(String name) throws Exception {
        List<WalRecord> records = WalSample.load(name).decode(8192);
        boolean spans = records.stream().anyMatch(r -> r.lsn().segmentNumber(Lsn.DEFAULT_SEGMENT_SIZE)
                != r.endLsn().plus(-1).segmentNumber(Lsn.DEFAULT_SEGMENT_SIZE));
        boolean switches = records.stream().anyMatch(WalRecord::isXlogSwitch);
        assertThat(spans || switches).isTrue();
        if (name.equals("switch")) {
            WalRecord sw = records.stream().filter(WalRecord::isXlogSwitch).findFirst().orElseThrow();
            assertThat(sw.endLsn().isSegmentStart(Lsn.DEFAULT_SEGMENT_SIZE)).isTrue();
            WalRecord after = records.get(records.indexOf(sw) + 1);
            assertThat(after.lsn()).isEqualTo(sw.endLsn().plus(WalFormat.LONG_PAGE_HEADER_SIZE));
            assertThat(after.prev()).isEqualTo(sw.lsn());
        } else {
            assertThat(spans).isTrue();
        }
    }

    static Stream<String> names() {
        return WalSample.NAMES.stream();
    }

    @ParameterizedTest
    @MethodSource("names")
    void knownPreviousRecordIsCheckedAgainstTheFirstXlPrev(String name) throws Exception {
        WalSample s = WalSample.load(name);
        Lsn prev = s.listing().entries().getFirst().prev();
        WalDecoder ok = new WalDecoder(s.start(), prev, Lsn.DEFAULT_SEGMENT_SIZE);
        ok.feed(s.bytes());
        assertThat(ok.next().prev()).isEqualTo(prev);
        WalDecoder wrong = new WalDecoder(s.start(), prev.plus(8), Lsn.DEFAULT_SEGMENT_SIZE);
        wrong.feed(s.bytes());
        org.assertj.core.api.Assertions.assertThatThrownBy(wrong::next).isInstanceOf(WalDecodeException.class)
                .extracting(e -> ((WalDecodeException) e).kind()).isEqualTo(WalDecodeException.Kind.BAD_RECORD_HEADER);
    }
}
