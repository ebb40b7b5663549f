package dev.jneon.common.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.cli.WalCat;
import dev.jneon.common.wal.record.RecordBody;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10,000 corrupted or truncated windows of the golden real-WAL samples: each one must decode to
 * valid records and/or a typed {@link WalDecodeException} — never another exception — within a
 * budget of {@link WalDecoder#next()} calls fixed by its length, and without allocating more than a
 * fixed multiple of its length (measured per input with the thread's allocation counter), however
 * large the lengths written in the corrupted bytes. Seeded, so a failure names a reproducible input.
 */
class WalDecoderFuzzTest {

    private static final int INPUTS = 10_000;
    private static final long SEED = 0x5EED_3A1L;

    private static List<WalSample> samples;
    private static List<List<Lsn>> recordStarts;
    private static List<List<Integer>> recordLengths;

    @BeforeAll
    static void load() throws Exception {
        samples = WalSample.all();
        recordStarts = new ArrayList<>();
        recordLengths = new ArrayList<>();
        for (WalSample s : samples) {
            List<WalRecord> records = s.decode(1 << 20);
            recordStarts.add(records.stream().map(WalRecord::lsn).toList());
            recordLengths.add(records.stream().map(WalRecord::totalLength).toList());
            for (WalRecord r : records) {
                // warms up (loads and initialises) everything the loop uses, so the allocation
                // measured per input is the decoding's own
                WalCat.format(r, true);
            }
        }
    }

    @Test
    void corruptedWalYieldsOnlyRecordsOrTypedErrors() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(SEED);
        Map<WalDecodeException.Kind, Integer> outcomes = new EnumMap<>(WalDecodeException.Kind.class);
        long records = 0;
        long maxAllocationRatio = 0;
        for (int i = 0; i < INPUTS; i++) {
            int which = random.nextInt(samples.size());
            WalSample s = samples.get(which);
            List<Lsn> starts = recordStarts.get(which);
            Lsn start = starts.get(random.nextInt(starts.size()));
            int from = (int) start.minus(s.start());
            int length = Math.min(s.bytes().length - from, 1024 + random.nextInt(64 * 1024));
            byte[] input = new byte[length];
            System.arraycopy(s.bytes(), from, input, 0, length);
            int startIndex = starts.indexOf(start);
            if (random.nextInt(4) == 0) {
                corruptBodyKeepingCrc(input, start, recordLengths.get(which).get(startIndex), random);
            } else {
                input = mutate(input, random);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            Result result;
            try {
                result = decode(start, input, random);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("input " + i + " (sample " + s.name() + " from " + start + ", " + input.length
                        + " bytes) escaped with " + e, e);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (input.length >= 16 * 1024) {
                maxAllocationRatio = Math.max(maxAllocationRatio, allocated / input.length);
            }
            if (allocated > 40L * input.length + (4 << 20)) {
                fail("input " + i + " allocated " + allocated + " bytes for " + input.length + " bytes of WAL");
            }
            records += result.records;
            if (result.error != null) {
                outcomes.merge(result.error.kind(), 1, Integer::sum);
            }
        }
        System.out.printf("WalDecoderFuzzTest: %d inputs, %d records decoded, errors %s, max allocation %dx input (inputs of 16 KiB and more)%n",
                INPUTS, records, outcomes, maxAllocationRatio);
        assertThat(outcomes.keySet()).contains(WalDecodeException.Kind.BAD_CRC, WalDecodeException.Kind.TRUNCATED,
                WalDecodeException.Kind.BAD_RECORD_BODY, WalDecodeException.Kind.BAD_IMAGE);
    }

    private record Result(long records, WalDecodeException error) {}

    /** Feeds in random chunks, parses and formats every record's body and restores every image. */
    private static Result decode(Lsn start, byte[] input, SplittableRandom random) {
        WalDecoder decoder = new WalDecoder(start);
        long calls = 0;
        long feeds = 0;
        long records = 0;
        try {
            for (int off = 0; off < input.length; ) {
                int n = Math.min(input.length - off, 1 + random.nextInt(16 * 1024));
                decoder.feed(input, off, n);
                off += n;
                feeds++;
                WalRecord r;
                while (true) {
                    calls++;
                    if (calls > feeds + input.length / WalFormat.RECORD_HEADER_SIZE + 2) {
                        fail("decoder made no progress: " + calls + " calls for " + input.length + " bytes");
                    }
                    r = decoder.next();
                    if (r == null) {
                        break;
                    }
                    records++;
                    RecordBody.of(r);
                    WalCat.format(r, true);
                    for (BlockReference b : r.blocks()) {
                        if (b.hasImage()) {
                            b.image().restore();
                        }
                    }
                }
                assertThat(decoder.bufferedBytes()).isZero();
            }
            decoder.finish();
            return new Result(records, null);
        } catch (WalDecodeException e) {
            return new Result(records, e);
        }
    }

    /**
     * Changes bytes inside the body of the window's first record (page headers skipped) and
     * rewrites its CRC, so the corruption reaches the block-header, typed and image decoders.
     */
    private static void corruptBodyKeepingCrc(byte[] input, Lsn start, int totLen, SplittableRandom random) {
        int[] at = new int[totLen];
        long pos = start.value();
        int k = 0;
        while (k < totLen) {
            if ((pos & (WalFormat.PAGE_SIZE - 1)) == 0) {
                pos += WalFormat.pageHeaderSize(pos, Lsn.DEFAULT_SEGMENT_SIZE);
                continue;
            }
            at[k++] = (int) (pos - start.value());
            pos++;
        }
        if (at[totLen - 1] >= input.length) {
            return;
        }
        int changes = 1 + random.nextInt(4);
        for (int c = 0; c < changes; c++) {
            int i = WalFormat.RECORD_HEADER_SIZE + random.nextInt(totLen - WalFormat.RECORD_HEADER_SIZE + 2) - 2;
            int target = i < WalFormat.RECORD_HEADER_SIZE ? 16 + random.nextInt(2) : i;
            input[at[target]] = (byte) (random.nextBoolean() ? random.nextInt(256) : input[at[target]] ^ (1 << random.nextInt(8)));
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (int i = WalFormat.RECORD_HEADER_SIZE; i < totLen; i++) {
            crc.update(input[at[i]]);
        }
        for (int i = 0; i < WalFormat.RECORD_CRC_OFFSET; i++) {
            crc.update(input[at[i]]);
        }
        int value = (int) crc.getValue();
        for (int b = 0; b < 4; b++) {
            input[at[WalFormat.RECORD_CRC_OFFSET + b]] = (byte) (value >>> (8 * b));
        }
    }

    private static byte[] mutate(byte[] input, SplittableRandom random) {
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int at = random.nextInt(input.length);
                    input[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int writes = 1 + random.nextInt(16);
                for (int k = 0; k < writes; k++) {
                    int at = random.nextInt(input.length);
                    input[at] = (byte) switch (random.nextInt(3)) {
                        case 0 -> 0;
                        case 1 -> 0xFF;
                        default -> random.nextInt(256);
                    };
                }
            }
            case 2 -> {
                // overwrite a 4-byte little-endian word with a large length, near a record header
                int at = random.nextInt(Math.max(1, input.length - 4)) & ~7;
                int value = random.nextBoolean() ? WalFormat.MAX_RECORD_SIZE - random.nextInt(1024)
                        : random.nextInt();
                for (int k = 0; k < 4 && at + k < input.length; k++) {
                    input[at + k] = (byte) (value >>> (8 * k));
                }
            }
            case 3 -> {
                return java.util.Arrays.copyOf(input, random.nextInt(input.length));
            }
            default -> {
                int at = random.nextInt(input.length);
                input[at] ^= (byte) (1 << random.nextInt(8));
                return java.util.Arrays.copyOf(input, at + random.nextInt(input.length - at));
            }
        }
        return input;
    }
}
