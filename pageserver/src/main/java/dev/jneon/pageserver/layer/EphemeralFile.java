package dev.jneon.pageserver.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The append-only scratch file behind an {@link InMemoryLayer}: values are written at the end and
 * read back by offset. Never fsynced and deleted when the layer is flushed or the timeline loads
 * (names {@value #PREFIX}N); its content is not durable. Appends are serialised by the owning
 * layer's writer; positional reads of already-appended bytes are safe from any thread.
 */
public final class EphemeralFile implements AutoCloseable {

    public static final String PREFIX = "ephemeral-";

    private final Path path;
    private final FileChannel channel;
    private volatile long size;

    public EphemeralFile(Path path) {
        this.path = path;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ephemeral file " + path, e);
        }
    }

    /** Appends {@code bytes}; returns their offset. */
    public long append(byte[] bytes) {
        long offset = size;
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            while (buf.hasRemaining()) {
                channel.write(buf, offset + buf.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ephemeral file " + path, e);
        }
        size = offset + bytes.length;
        return offset;
    }

    public byte[] read(long offset, int length) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            LayerFile.readFully(channel, buf, offset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ephemeral file " + path, e);
        }
        return buf.array();
    }

    public long size() {
        return size;
    }

    /** Closes and deletes the file. */
    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove ephemeral file " + path, e);
        }
    }
}
