package dev.jneon.safekeeper.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.safekeeper.RealWal;
import dev.jneon.safekeeper.acceptor.ProtocolViolation;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The on-disk WAL store and its record tracker against real PostgreSQL 15 WAL. */
class SegmentedWalStoreIT {

    static final int SEG = RealWal.SEGMENT_SIZE;
    static RealWal real;
    Path dir;

    @BeforeAll
    static void makeWal() throws Exception {
        real = RealWal.create();
    }

    @AfterAll
    static void dropWal() throws Exception {
        real.close();
    }

    @BeforeEach
    void makeDir() throws Exception {
        dir = Files.createTempDirectory("jneon-sk-walstore");
    }

    @AfterEach
    void dropDir() throws Exception {
        RealWal.deleteTree(dir);
    }

    private Lsn start() {
        return real.recordStarts().get(5);
    }

    /** Writes real WAL from start() to end in random chunks (at most 128 KiB), flushing now and then. */
    private SegmentedWalStore writeAll(long seed) throws Exception {
        SegmentedWalStore store = SegmentedWalStore.open(dir, SEG, Lsn.INVALID);
        store.truncate(start(), real.systemId());
        byte[] all = real.bytes(start(), real.end());
        Random random = new Random(seed);
        int off = 0;
        while (off < all.length) {
            int n = Math.min(all.length - off, 1 + random.nextInt(128 * 1024));
            byte[] chunk = java.util.Arrays.copyOfRange(all, off, off + n);
            store.write(start().plus(off), chunk);
            off += n;
            if (random.nextInt(4) == 0) {
                store.flush();
                assertThat(real.isBoundary(store.flushLsn())).as("flush %s is a record boundary", store.flushLsn())
                        .isTrue();
            }
        }
        store.flush();
        return store;
    }

    @Test
    void flushLsnFollowsRealRecordEndsAcrossSegments() throws Exception {
        assertThat(real.end().segmentNumber(SEG)).isGreaterThan(start().segmentNumber(SEG));
        SegmentedWalStore store = writeAll(42);
        assertThat(store.flushLsn()).isEqualTo(real.end());
        assertThat(store.writeLsn()).isEqualTo(real.end());
        store.close();
        long first = start().segmentNumber(SEG);
        assertThat(dir.resolve(WalFormat.segmentFileName(first, SEG))).exists();
        assertThat(dir.resolve(WalFormat.segmentFileName(real.end().segmentNumber(SEG), SEG) + ".partial")).exists()
                .hasSize(SEG);
        byte[] stored = new byte[(int) real.end().minus(start())];
        int off = 0;
        while (off < stored.length) {
            off += store.read(start().plus(off), stored, off, stored.length - off);
        }
        assertThat(stored).isEqualTo(real.bytes(start(), real.end()));
    }

    @Test
    void startupScanFindsTheEndAndIgnoresATornTail() throws Exception {
        writeAll(7).close();
        SegmentedWalStore reopened = SegmentedWalStore.open(dir, SEG, start());
        assertThat(reopened.flushLsn()).isEqualTo(real.end());
        assertThat(reopened.pendingTruncation()).isTrue();
        assertThatThrownBy(() -> reopened.write(real.end(), new byte[8])).isInstanceOf(IllegalStateException.class);
        // tear the last record: its CRC no longer matches, so the end moves back to its start
        Lsn last = real.recordStarts().getLast();
        Path partial = dir.resolve(WalFormat.segmentFileName(last.segmentNumber(SEG), SEG) + ".partial");
        try (var f = new RandomAccessFile(partial.toFile(), "rw")) {
            f.seek(last.segmentOffset(SEG) + 30);
            f.write(0x5A ^ f.readByte());
        }
        assertThat(SegmentedWalStore.open(dir, SEG, start()).flushLsn()).isEqualTo(last);
    }

    @Test
    void truncationCutsLaterSegmentsAndZeroesTheTail() throws Exception {
        writeAll(3).close();
        Lsn cut = real.recordStarts().stream().filter(l -> l.segmentNumber(SEG) == start().segmentNumber(SEG))
                .reduce((a, b) -> b).orElseThrow();
        SegmentedWalStore store = SegmentedWalStore.open(dir, SEG, start());
        store.truncate(cut, real.systemId());
        assertThat(store.flushLsn()).isEqualTo(cut);
        assertThat(new SegmentFiles(dir, SEG).list()).containsExactly(cut.segmentNumber(SEG));
        byte[] tail = new byte[4096];
        store.read(cut, tail, 0, tail.length);
        assertThat(tail).containsOnly((byte) 0);
        // and streaming resumes from there with the same bytes
        byte[] rest = real.bytes(cut, real.end());
        for (int off = 0; off < rest.length; off += 100_000) {
            store.write(cut.plus(off), java.util.Arrays.copyOfRange(rest, off, Math.min(rest.length, off + 100_000)));
        }
        store.flush();
        assertThat(store.flushLsn()).isEqualTo(real.end());
    }

    @Test
    void rejectsBytesThatAreNotWalAndBlocksUntilTruncated() throws Exception {
        SegmentedWalStore store = SegmentedWalStore.open(dir, SEG, Lsn.INVALID);
        store.truncate(start(), real.systemId());
        byte[] bytes = real.bytes(start(), start().plus(64));
        bytes[0] = 3; // xl_tot_len 3: below the header size
        bytes[1] = 0;
        bytes[2] = 0;
        bytes[3] = 0;
        assertThatThrownBy(() -> store.write(start(), bytes)).isInstanceOf(ProtocolViolation.class);
        assertThat(store.pendingTruncation()).isTrue();
        store.truncate(start(), real.systemId());
        store.write(start(), real.bytes(start(), real.recordStarts().get(6)));
        store.flush();
        assertThat(store.flushLsn()).isEqualTo(real.recordStarts().get(6));
    }

    @Test
    void anEmptyStoreStartsItsFirstSegmentWithSynthesizedHeaders() throws Exception {
        SegmentedWalStore store = SegmentedWalStore.open(dir, SEG, Lsn.INVALID);
        store.truncate(start(), real.systemId());
        byte[] head = new byte[WalFormat.LONG_PAGE_HEADER_SIZE];
        store.read(start().segmentStart(SEG), head, 0, head.length);
        var header = dev.jneon.common.wal.write.WalPageHeader.readFrom(head, 0);
        assertThat(header.isLong()).isTrue();
        assertThat(header.systemId()).isEqualTo(real.systemId());
        assertThat(header.pageAddress()).isEqualTo(start().segmentStart(SEG).value());
    }
}
