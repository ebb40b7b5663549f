package dev.jneon.safekeeper.wal;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.common.wal.write.WalPageHeader;
import dev.jneon.safekeeper.acceptor.ProtocolViolation;
import dev.jneon.safekeeper.acceptor.WalStore;
import dev.jneon.safekeeper.disk.DurableFiles;
import dev.jneon.safekeeper.disk.FailStop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A timeline's WAL on local disk (spec D.1-D.4) in a directory of segment files named by
 * {@link SegmentFiles}: full segments under their pg_wal name, the one being written as
 * {@code <name>.partial}. Each new segment is first written as {@code waltmp}, zero-filled to the
 * full segment size and fsynced (so running out of space fails before anything is acknowledged),
 * then durably renamed to {@code .partial}; a segment written to its end is fsynced and durably
 * renamed to the plain name. Writes crossing a segment end are split. Bytes are written without
 * fsync; {@link #flush()} fdatasyncs ({@code force(false)}: the size never changes) and only then
 * moves the flush LSN, always to a record end found by the {@link RecordBoundaryTracker}.
 *
 * <p>Crash story: a crash leaves at most the bytes written since the last flush, possibly torn, at
 * the end of the {@code .partial} segment, and perhaps a {@code waltmp}. {@link #open} finds the end
 * of WAL by scanning records from the persisted commit LSN to the first invalid one and keeps the
 * store blocked for writes until the next truncation, which zeroes everything after the end.
 *
 * <p>Not thread-safe for writers (one writer, under the timeline lock); {@link #read} is safe from
 * other threads for LSNs below the flush LSN.
 */
public final class SegmentedWalStore implements WalStore {

    private static final int ZERO_CHUNK = 1 << 20;

    private final SegmentFiles files;
    private final int segmentSize;
    private final RecordBoundaryTracker tracker;
    private volatile long writeLsn;
    private volatile long flushLsn;
    private boolean pending;
    private FileChannel current;
    private long currentSegno = -1;

    private SegmentedWalStore(Path dir, int segmentSize, Lsn end) {
        this.files = new SegmentFiles(dir, segmentSize);
        this.segmentSize = segmentSize;
        this.tracker = new RecordBoundaryTracker(segmentSize, end);
        this.writeLsn = end.value();
        this.flushLsn = end.value();
        this.pending = true;
    }

    /**
     * Opens the WAL in {@code dir}: end of WAL = end of the last valid record found scanning from
     * {@code commitLsn} (a record boundary), or 0 when {@code commitLsn} is 0. Writes stay blocked
     * until {@link #truncate}.
     */
    public static SegmentedWalStore open(Path dir, int segmentSize, Lsn commitLsn) throws IOException {
        Lsn end = commitLsn.isValid() ? findEndOfWal(new SegmentFiles(dir, segmentSize), commitLsn) : Lsn.INVALID;
        Files.deleteIfExists(new SegmentFiles(dir, segmentSize).temp());
        return new SegmentedWalStore(dir, segmentSize, end);
    }

    static Lsn findEndOfWal(SegmentFiles files, Lsn start) throws IOException {
        RecordBoundaryTracker scan = new RecordBoundaryTracker(files.segmentSize(), start);
        byte[] buf = new byte[ZERO_CHUNK];
        long pos = start.value();
        try {
            while (true) {
                Path file = files.existing(Lsn.of(pos).segmentNumber(files.segmentSize()));
                if (file == null) {
                    return scan.lastRecordEnd();
                }
                int offset = Lsn.of(pos).segmentOffset(files.segmentSize());
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    while (offset < files.segmentSize()) {
                        int n = ch.read(ByteBuffer.wrap(buf, 0, Math.min(buf.length, files.segmentSize() - offset)),
                                offset);
                        if (n <= 0) {
                            return scan.lastRecordEnd();
                        }
                        scan.feed(buf, 0, n);
                        offset += n;
                        pos += n;
                    }
                }
            }
        } catch (InvalidWalException endOfWal) {
            return scan.lastRecordEnd();
        }
    }

    @Override
    public Lsn writeLsn() {
        return Lsn.of(writeLsn);
    }

    @Override
    public Lsn flushLsn() {
        return Lsn.of(flushLsn);
    }

    @Override
    public boolean pendingTruncation() {
        return pending;
    }

    @Override
    public void write(Lsn begin, byte[] data) throws IOException {
        if (pending || begin.value() != writeLsn) {
            throw new IllegalStateException("write at " + begin + " but WAL ends at " + Lsn.of(writeLsn)
                    + (pending ? " with a truncation pending" : ""));
        }
        if (data.length == 0) {
            return;
        }
        long firstSeg = begin.segmentNumber(segmentSize);
        long lastSeg = begin.plus(data.length - 1).segmentNumber(segmentSize);
        for (long s = firstSeg; s <= lastSeg; s++) {
            if (files.existing(s) == null) {
                createSegment(s);
            }
        }
        try {
            tracker.feed(data, 0, data.length);
        } catch (InvalidWalException e) {
            pending = true;
            throw new ProtocolViolation("invalid WAL in [" + begin + ", " + begin.plus(data.length) + "): "
                    + e.getMessage());
        }
        int off = 0;
        while (off < data.length) {
            long pos = writeLsn;
            long segno = Lsn.of(pos).segmentNumber(segmentSize);
            int segOff = Lsn.of(pos).segmentOffset(segmentSize);
            int n = Math.min(data.length - off, segmentSize - segOff);
            try {
                FileChannel ch = channel(segno);
                ByteBuffer buf = ByteBuffer.wrap(data, off, n);
                long at = segOff;
                while (buf.hasRemaining()) {
                    at += ch.write(buf, at);
                }
                writeLsn = pos + n;
                if (segOff + n == segmentSize) {
                    completeSegment(segno);
                }
            } catch (IOException e) {
                throw FailStop.halt("writing WAL segment " + segno + " in " + files.dir(), e);
            }
            off += n;
        }
    }

    private FileChannel channel(long segno) throws IOException {
        if (currentSegno != segno) {
            closeCurrent();
            current = FileChannel.open(files.partial(segno), StandardOpenOption.WRITE);
            currentSegno = segno;
        }
        return current;
    }

    private void completeSegment(long segno) throws IOException {
        current.force(false);
        closeCurrent();
        DurableFiles.rename(files.partial(segno), files.full(segno));
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            current.close();
            current = null;
            currentSegno = -1;
        }
    }

    /** Creates {@code .partial} for {@code segno}, zero-filled and fsynced, via {@code waltmp}. */
    private void createSegment(long segno) throws IOException {
        Path tmp = files.temp();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            zeroFill(ch, 0);
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot preallocate WAL segment " + segno + " in " + files.dir() + ": " + e, e);
        }
        DurableFiles.rename(tmp, files.partial(segno));
    }

    private void zeroFill(FileChannel ch, long from) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
        for (long at = from; at < segmentSize; ) {
            zeros.clear().limit((int) Math.min(ZERO_CHUNK, segmentSize - at));
            at += ch.write(zeros, at);
        }
    }

    @Override
    public void flush() {
        long recordEnd = tracker.lastRecordEnd().value();
        if (current != null) {
            try {
                current.force(false);
            } catch (IOException e) {
                throw FailStop.halt("fsync of WAL segment " + currentSegno + " in " + files.dir(), e);
            }
        }
        flushLsn = recordEnd;
    }

    @Override
    public void truncate(Lsn end, long systemId) throws IOException {
        if (!pending && end.value() == writeLsn && end.value() == flushLsn) {
            return;
        }
        pending = true;
        try {
            if (current != null) {
                current.force(false);
                closeCurrent();
            }
            boolean noWal = files.list().isEmpty();
            long segno = end.segmentNumber(segmentSize);
            for (long s : files.list()) {
                if (s > segno) {
                    Files.delete(files.existing(s));
                }
            }
            Path existing = files.existing(segno);
            if (existing == null) {
                createSegment(segno);
                if (noWal) {
                    writeSynthesizedHeaders(end, systemId);
                }
            } else {
                try (FileChannel ch = FileChannel.open(existing, StandardOpenOption.WRITE)) {
                    zeroFill(ch, end.segmentOffset(segmentSize));
                    ch.force(false);
                }
                if (!existing.equals(files.partial(segno))) {
                    DurableFiles.rename(existing, files.partial(segno));
                }
            }
            DurableFiles.fsyncDirectory(files.dir());
        } catch (NoSuchFileException e) {
            throw FailStop.halt("WAL segment vanished while truncating at " + end + " in " + files.dir(), e);
        }
        writeLsn = end.value();
        flushLsn = end.value();
        tracker.reset(end);
        pending = false;
    }

    /** The long header of the segment and the header of the page holding {@code start}, when before it. */
    private void writeSynthesizedHeaders(Lsn start, long systemId) throws IOException {
        long segStart = start.segmentStart(segmentSize).value();
        try (FileChannel ch = FileChannel.open(files.partial(start.segmentNumber(segmentSize)), StandardOpenOption.WRITE)) {
            if (start.value() > segStart) {
                byte[] h = new byte[WalFormat.LONG_PAGE_HEADER_SIZE];
                new WalPageHeader(WalFormat.XLP_LONG_HEADER, segStart, 0, systemId, segmentSize).writeTo(h, 0);
                ch.write(ByteBuffer.wrap(h), 0);
            }
            long page = start.pageStart().value();
            if (page != segStart && start.value() > page) {
                byte[] h = new byte[WalFormat.SHORT_PAGE_HEADER_SIZE];
                new WalPageHeader(0, page, 0, 0, 0).writeTo(h, 0);
                ch.write(ByteBuffer.wrap(h), page - segStart);
            }
            ch.force(false);
        }
    }

    @Override
    public int read(Lsn from, byte[] dst, int off, int len) throws IOException {
        long segno = from.segmentNumber(segmentSize);
        int segOff = from.segmentOffset(segmentSize);
        int n = Math.min(len, segmentSize - segOff);
        for (int attempt = 0; attempt < 2; attempt++) {
            Path file = files.existing(segno);
            if (file == null) {
                return 0;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.wrap(dst, off, n);
                while (buf.hasRemaining() && ch.read(buf, segOff + buf.position() - off) > 0) {
                    // keep reading
                }
                return buf.position() - off;
            } catch (NoSuchFileException renamedMeanwhile) {
                // .partial became the full segment between the check and the open: look again
            }
        }
        return 0;
    }

    /** The file holding segment {@code segno} ({@code .partial} first), or null if it is not held locally. */
    public Path segmentFile(long segno) {
        return files.existing(segno);
    }

    /** Segment numbers held locally, ascending. */
    public List<Long> segments() throws IOException {
        return files.list().stream().sorted().toList();
    }

    /**
     * Deletes every segment file numbered below {@code segno} (which must not exceed the segment of
     * the flush LSN) and fsyncs the directory; returns how many were deleted. Concurrent readers of a
     * deleted segment get 0 bytes from {@link #read}.
     */
    public int removeBelow(long segno) throws IOException {
        if (segno > Lsn.of(flushLsn).segmentNumber(segmentSize)) {
            throw new IllegalArgumentException("cannot remove segments up to " + segno + ": WAL is flushed only to "
                    + Lsn.of(flushLsn));
        }
        int removed = 0;
        for (long s : files.list()) {
            if (s < segno) {
                Files.deleteIfExists(files.partial(s));
                Files.deleteIfExists(files.full(s));
                removed++;
            }
        }
        if (removed > 0) {
            DurableFiles.fsyncDirectory(files.dir());
        }
        return removed;
    }

    /** Closes the open segment after an fsync; the store must not be used afterwards. */
    public void close() {
        try {
            if (current != null) {
                current.force(false);
                closeCurrent();
            }
        } catch (IOException e) {
            throw FailStop.halt("fsync of WAL segment at close in " + files.dir(), e);
        }
    }
}
