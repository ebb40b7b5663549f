package dev.jneon.common.wal.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Test-side WAL reader, written independently of the writer: reassembles one record at an LSN from
 * segment contents, checking each continuation page header (magic, pageaddr, CONTRECORD, rem_len).
 */
final class WalBytes {

    static final int PAGE = 8192;

    /** A reassembled record and the position after its last byte (not aligned). */
    record Read(byte[] bytes, long endExclusive) {
        long endRecPtr() {
            return (endExclusive + 7) & ~7L;
        }
    }

    private WalBytes() {}

    static Read readRecord(LongFunction<byte[]> segmentBySegno, int segmentSize, long lsn) {
        ByteBuffer first = buffer(segmentBySegno, segmentSize, lsn);
        int offset = (int) (lsn % segmentSize);
        int total = first.getInt(offset);
        if (total < 24) {
            throw new AssertionError("no record at " + Long.toHexString(lsn) + ": xl_tot_len " + total);
        }
        byte[] out = new byte[total];
        int done = 0;
        long pos = lsn;
        while (true) {
            int n = (int) Math.min(total - done, PAGE - pos % PAGE);
            buffer(segmentBySegno, segmentSize, pos).get((int) (pos % segmentSize), out, done, n);
            done += n;
            pos += n;
            if (done == total) {
                return new Read(out, pos);
            }
            ByteBuffer page = buffer(segmentBySegno, segmentSize, pos);
            int at = (int) (pos % segmentSize);
            int magic = Short.toUnsignedInt(page.getShort(at));
            int info = Short.toUnsignedInt(page.getShort(at + 2));
            long pageAddr = page.getLong(at + 8);
            int remLen = page.getInt(at + 16);
            if (magic != 0xD110 || pageAddr != pos || (info & 1) == 0 || remLen != total - done) {
                throw new AssertionError(String.format("bad continuation header at %X: magic %X info %X addr %X rem %d (want %d)",
                        pos, magic, info, pageAddr, remLen, total - done));
            }
            pos += (info & 2) != 0 ? 40 : 24;
        }
    }

    /** Segments of a pg_wal directory, loaded on demand. */
    static LongFunction<byte[]> pgWal(Path dir, int segmentSize) {
        Map<Long, byte[]> cache = new HashMap<>();
        return segno -> cache.computeIfAbsent(segno, s -> {
            long perId = 0x1_0000_0000L / segmentSize;
            Path file = dir.resolve(String.format("%08X%08X%08X", 1, s / perId, s % perId));
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static ByteBuffer buffer(LongFunction<byte[]> segments, int segmentSize, long lsn) {
        byte[] segment = segments.apply(lsn / segmentSize);
        if (segment == null) {
            throw new AssertionError("no segment holds " + Long.toHexString(lsn));
        }
        return ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
    }
}
