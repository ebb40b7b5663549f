package dev.jneon.common.wal;

import dev.jneon.common.id.Lsn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the WAL segment files of one timeline in a directory (pg_wal) through a
 * {@link WalDecoder}. File names are {@code %08X%08X%08X} (timeline 1, segment / 256, segment %
 * 256 for 16 MiB segments; see {@link WalFormat#segmentFileName}); decoding follows consecutive
 * segment numbers and stops at the first missing file, at a given end LSN (a record must end at
 * or before it, as with pg_waldump's {@code -e}), or at the first decode error. Not thread-safe.
 */
public final class SegmentDirectory {

    private static final int CHUNK = 1 << 20;

    /** Receives each decoded record in order. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(WalRecord record) throws WalDecodeException;
    }

    /**
     * How a decode run ended: the number of records delivered, the end of the last one (or the
     * start LSN), and the error that stopped it (null when it stopped at the end LSN or at the
     * end of the files without being inside a record).
     */
    public record Outcome(long records, Lsn end, WalDecodeException error) {}

    private final Path dir;
    private final int segmentSize;

    public SegmentDirectory(Path dir, int segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    public Path dir() {
        return dir;
    }

    public int segmentSize() {
        return segmentSize;
    }

    public Path segmentPath(long segmentNumber) {
        return dir.resolve(WalFormat.segmentFileName(segmentNumber, segmentSize));
    }

    /** xlp_seg_size from the long page header at the start of {@code segmentFile}. */
    public static int segmentSizeOf(Path segmentFile) throws IOException {
        try (FileChannel ch = FileChannel.open(segmentFile, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(WalFormat.LONG_PAGE_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            while (h.hasRemaining() && ch.read(h) >= 0) {
                // fill the header
            }
            if (h.hasRemaining() || (h.getShort(2) & WalFormat.XLP_LONG_HEADER) == 0) {
                throw new IOException(segmentFile + " does not start with a long WAL page header");
            }
            return h.getInt(32);
        }
    }

    /** Segment number a WAL file name denotes, or -1 if the name is not one. */
    public static long segmentNumberOf(String fileName, int segmentSize) {
        if (!fileName.matches("[0-9A-F]{24}")) {
            return -1;
        }
        long perId = 0x1_0000_0000L / segmentSize;
        long hi = Long.parseLong(fileName.substring(8, 16), 16);
        long lo = Long.parseLong(fileName.substring(16, 24), 16);
        return hi * perId + lo;
    }

    /**
     * Decodes from {@code start} (a record start or a page start) up to {@code end}
     * ({@link Lsn#MAX} for no limit), giving each record to {@code sink}.
     */
    public Outcome decode(Lsn start, Lsn end, RecordSink sink) throws IOException {
        WalDecoder decoder = new WalDecoder(start, Lsn.INVALID, segmentSize);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long records = 0;
        Lsn lastEnd = start;
        long segno = start.segmentNumber(segmentSize);
        long at = start.value();
        try {
            while (Long.compareUnsigned(at, end.value()) < 0) {
                Path file = segmentPath(segno);
                if (!Files.exists(file)) {
                    break;
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    long offset = Long.remainderUnsigned(at, segmentSize);
                    while (offset < segmentSize && Long.compareUnsigned(at, end.value()) < 0) {
                        long want = Math.min(CHUNK, segmentSize - offset);
                        if (Long.compareUnsigned(end.value() - at, want) < 0) {
                            want = end.value() - at;
                        }
                        chunk.clear().limit((int) want);
                        int n = ch.read(chunk, offset);
                        if (n <= 0) {
                            break;
                        }
                        chunk.flip();
                        decoder.feed(chunk);
                        WalRecord r;
                        while ((r = decoder.next()) != null) {
                            sink.accept(r);
                            records++;
                            lastEnd = r.endLsn();
                        }
                        offset += n;
                        at += n;
                    }
                    if (offset < segmentSize && Long.compareUnsigned(at, end.value()) < 0) {
                        break;
                    }
                }
                segno++;
            }
            if (Long.compareUnsigned(at, end.value()) < 0) {
                decoder.finish();
            }
            return new Outcome(records, lastEnd, null);
        } catch (WalDecodeException e) {
            return new Outcome(records, lastEnd, e);
        }
    }
}
