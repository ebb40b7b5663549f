package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.pageserver.disk.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one layer file in the {@link LayerFile} format: values must be appended in (key, LSN)
 * order; {@link #finish()} writes index, tombstones and summary, fsyncs, renames the temp file to
 * the layer's name and fsyncs the directory. Any I/O error is fail-stop for the caller. Not
 * thread-safe; owned by the flush or compaction task writing it.
 */
public final class LayerFileWriter implements AutoCloseable {

    private static final int BUFFER = 1 << 20;

    private final Path dir;
    private final LayerName name;
    private final Generation generation;
    private final TenantShardId tenantShardId;
    private final TimelineId timelineId;
    private final Path temp;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final ByteArrayOutputStream index = new ByteArrayOutputStream();
    private final List<Tombstone> tombstones = new ArrayList<>();
    private long position = LayerFile.SUMMARY_SIZE;
    private long flushed = LayerFile.SUMMARY_SIZE;
    private long count;
    private Key lastKey;
    private Lsn lastLsn;
    private boolean done;

    public LayerFileWriter(Path dir, LayerName name, Generation generation, TenantShardId tenantShardId, TimelineId timelineId) {
        this.dir = dir;
        this.name = name;
        this.generation = generation;
        this.tenantShardId = tenantShardId;
        this.timelineId = timelineId;
        this.temp = dir.resolve(name.fileName(generation) + LayerName.TEMP_SUFFIX);
        try {
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create layer file " + temp, e);
        }
    }

    /** Appends the encoded value of {@code key} at {@code lsn}; keys and LSNs must ascend. */
    public void append(Key key, Lsn lsn, byte[] encodedValue, boolean willInit) {
        if (!name.keys().contains(key) || !name.lsns().contains(lsn)) {
            throw new IllegalArgumentException("value " + key + "@" + lsn + " is outside layer " + name);
        }
        if (lastKey != null) {
            int c = key.compareTo(lastKey);
            if (c < 0 || (c == 0 && lsn.compareTo(lastLsn) < 0)) {
                throw new IllegalArgumentException("value " + key + "@" + lsn + " appended after " + lastKey + "@" + lastLsn);
            }
        }
        lastKey = key;
        lastLsn = lsn;
        byte[] entry = new byte[LayerFile.INDEX_ENTRY_SIZE];
        key.writeTo(entry, 0);
        ByteBuffer.wrap(entry, Key.SIZE, 20).putLong(lsn.value()).putLong(position << 1 | (willInit ? 1 : 0))
                .putInt(encodedValue.length);
        index.writeBytes(entry);
        write(ByteBuffer.wrap(encodedValue));
        count++;
    }

    public void addTombstone(Tombstone tombstone) {
        if (name.image()) {
            throw new IllegalStateException("image layers hold no tombstones");
        }
        tombstones.add(tombstone);
    }

    public long bytesWritten() {
        return position;
    }

    public long valueCount() {
        return count;
    }

    /** Completes the file and gives it its name; returns the final path. */
    public Path finish() {
        long indexOffset = position;
        write(ByteBuffer.wrap(index.toByteArray()));
        long tombstoneOffset = position;
        tombstones.sort(Comparator.comparing(Tombstone::lsn));
        for (Tombstone t : tombstones) {
            byte[] e = new byte[LayerFile.TOMBSTONE_SIZE];
            t.keys().start().writeTo(e, 0);
            t.keys().end().writeTo(e, Key.SIZE);
            ByteBuffer.wrap(e).putLong(2 * Key.SIZE, t.lsn().value());
            write(ByteBuffer.wrap(e));
        }
        Path target = dir.resolve(name.fileName(generation));
        try {
            flushBuffer();
            channel.write(ByteBuffer.wrap(summary(indexOffset, tombstoneOffset)), 0);
            channel.force(true);
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot complete layer file " + target, e);
        }
        done = true;
        return target;
    }

    private byte[] summary(long indexOffset, long tombstoneOffset) {
        byte[] block = new byte[LayerFile.SUMMARY_SIZE];
        ByteBuffer b = ByteBuffer.wrap(block);
        b.putInt(0, LayerFile.MAGIC).putShort(4, (short) LayerFile.FORMAT_VERSION).put(6, (byte) (name.image() ? 1 : 0));
        b.put(8, tenantShardId.toBytes()).put(26, timelineId.toBytes());
        name.keys().start().writeTo(block, 42);
        name.keys().end().writeTo(block, 60);
        b.putLong(78, name.lsns().start().value()).putLong(86, name.lsns().end().value());
        b.putLong(94, count).putLong(102, indexOffset).putLong(110, tombstones.size()).putLong(118, tombstoneOffset);
        var crc = new CRC32C();
        crc.update(block, 0, LayerFile.SUMMARY_CRC_OFFSET);
        b.putInt(LayerFile.SUMMARY_CRC_OFFSET, (int) crc.getValue());
        return block;
    }

    private void write(ByteBuffer src) {
        position += src.remaining();
        try {
            while (src.hasRemaining()) {
                if (!buffer.hasRemaining()) {
                    flushBuffer();
                }
                int n = Math.min(buffer.remaining(), src.remaining());
                buffer.put(buffer.position(), src, src.position(), n);
                buffer.position(buffer.position() + n);
                src.position(src.position() + n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write layer file " + temp, e);
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            flushed += channel.write(buffer, flushed);
        }
        buffer.clear();
    }

    /** Deletes the temp file unless {@link #finish()} completed. */
    @Override
    public void close() {
        if (!done) {
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove unfinished layer file " + temp, e);
            }
        }
    }
}
