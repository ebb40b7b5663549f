package dev.jneon.safekeeper.recovery;

import dev.jneon.common.id.Lsn;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.control.ControlFileFormat;
import dev.jneon.safekeeper.control.FileControlFileStore;
import dev.jneon.safekeeper.disk.DurableFiles;
import dev.jneon.safekeeper.timeline.Timeline;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A copy of one timeline for a peer that lacks it (spec I {@code snapshot}, {@code pull_timeline}).
 * [jneon] Stream format, version 1 (not Neon's tar):
 * <pre>
 *   "JNSKSNP1"                                  8 bytes, magic and version
 *   entry*: u16 name length (&gt; 0) | name (UTF-8) | u64 length | bytes   (big-endian)
 *   u16 0 | u32 CRC32C of every byte before it
 * </pre>
 * The first entry is {@code safekeeper.control}: the source's state with its progress LSNs
 * persisted first and local_start_lsn raised to the start of the first segment sent; then every
 * local segment from local_start_lsn's to the flush LSN's, under its file name ({@code .partial}
 * for the one being written). The source holds WAL removal while it copies and fails (leaving the
 * stream without its trailer) if its term changes meanwhile, since a new term may truncate the WAL
 * behind the copied control file. A segment may hold bytes past the flush LSN; the receiver's start-up
 * scan (spec D.3) ends its WAL at the last valid record, at or past the control file's commit LSN.
 *
 * <p>The receiver accepts only those names (no paths), checks the trailer, and fsyncs every file and
 * the directory. Stateless.
 */
public final class TimelineSnapshot {

    static final byte[] MAGIC = "JNSKSNP1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern NAME = Pattern.compile(
            Pattern.quote(FileControlFileStore.FILE_NAME) + "|[0-9A-F]{24}(\\.partial)?");
    private static final int COPY_CHUNK = 1 << 20;

    private TimelineSnapshot() {
    }

    /** Writes the snapshot of {@code t} to {@code out} (not closed). */
    public static void send(Timeline t, OutputStream out) throws IOException {
        try (AutoCloseable hold = t.holdRemoval()) {
            AcceptorState state = t.persistedState();
            Lsn flush = t.status().flushLsn();
            int segmentSize = t.segmentSize();
            long first = state.localStartLsn().segmentNumber(segmentSize);
            long last = flush.segmentNumber(segmentSize);
            Lsn localStart = Lsn.max(state.localStartLsn(), Lsn.ofSegment(first, segmentSize));
            var crc = new CRC32C();
            var data = new DataOutputStream(new CheckedOutputStream(out, crc)); // never closed: out is the caller's
            data.write(MAGIC);
            byte[] control = ControlFileFormat.encode(state.withStarts(state.timelineStartLsn(), localStart));
            entry(data, FileControlFileStore.FILE_NAME, control.length);
            data.write(control);
            for (long segno = first; segno <= last; segno++) {
                copySegment(t, segno, data);
            }
            if (!t.status().term().equals(state.term())) {
                throw new IOException("timeline " + t.ttid() + " moved from term " + state.term() + " to "
                        + t.status().term() + " while its snapshot was taken");
            }
            data.writeShort(0);
            data.flush();
            new DataOutputStream(out).writeInt((int) crc.getValue());
            out.flush();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static void copySegment(Timeline t, long segno, DataOutputStream data) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            Path file = t.segmentFile(segno);
            if (file == null) {
                throw new IOException("segment " + segno + " of timeline " + t.ttid() + " is not held locally");
            }
            try (InputStream in = Files.newInputStream(file)) {
                entry(data, file.getFileName().toString(), Files.size(file));
                in.transferTo(data);
                return;
            } catch (NoSuchFileException renamed) {
                // the .partial segment was completed and renamed before it was opened: look again
            }
        }
        throw new IOException("segment " + segno + " of timeline " + t.ttid() + " kept moving");
    }

    private static void entry(DataOutputStream data, String name, long length) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        data.writeShort(n.length);
        data.write(n);
        data.writeLong(length);
    }

    /** Reads a snapshot from {@code in} into the empty directory {@code dir}; returns the state it holds. */
    public static AcceptorState receive(InputStream in, Path dir) throws IOException {
        var crc = new CRC32C();
        var data = new DataInputStream(new CheckedInputStream(in, crc));
        byte[] magic = data.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a timeline snapshot (version 1): bad magic");
        }
        AcceptorState state = null;
        byte[] buf = new byte[COPY_CHUNK];
        while (true) {
            int nameLength = data.readUnsignedShort();
            if (nameLength == 0) {
                break;
            }
            String name = new String(data.readNBytes(nameLength), StandardCharsets.UTF_8);
            if (!NAME.matcher(name).matches()) {
                throw new IOException("snapshot entry '" + name + "' is not a control file or segment name");
            }
            long length = data.readLong();
            Path file = dir.resolve(name);
            try (var ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                for (long left = length; left > 0; ) {
                    int n = data.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new EOFException("snapshot ends inside " + name);
                    }
                    var b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    left -= n;
                }
                ch.force(true);
            }
            if (name.equals(FileControlFileStore.FILE_NAME)) {
                state = ControlFileFormat.decode(Files.readAllBytes(file));
            }
        }
        int expected = (int) crc.getValue();
        if (new DataInputStream(in).readInt() != expected) {
            throw new IOException("snapshot CRC32C mismatch");
        }
        if (state == null) {
            throw new IOException("snapshot has no control file");
        }
        DurableFiles.fsyncDirectory(dir);
        return state;
    }
}
