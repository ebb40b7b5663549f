package dev.jneon.pageserver.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the bytes of one persistent layer are (spec D.7): Resident (the file at {@link #path()} is
 * open) or Evicted (only remote storage has it; the index knows its size). {@link #file()} opens a
 * resident file or, for an evicted one, downloads it first through the {@link Download} set by the
 * remote timeline; concurrent readers of an evicted layer wait for one download. {@link #evict()}
 * drops the local copy of a layer known to be uploaded; a reader caught mid-read by it gets
 * {@link LayerRetiredException} and retries, downloading again.
 *
 * <p>Thread-safe: residence changes under {@code lock}; the open file and the access time are
 * volatile so resident reads take no lock.
 */
public final class LayerResidence {

    /** Fetches a layer's bytes to a local path (temp name, size check, rename); blocking. */
    @FunctionalInterface
    public interface Download {
        void to(Path target, long expectedSize) throws IOException;
    }

    private final Path path;
    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile LayerFile file;
    private volatile Download download;
    private volatile boolean uploaded;
    private volatile long lastAccessNanos = System.nanoTime();

    private LayerResidence(Path path, long size, LayerFile file) {
        if (size < 0) {
            throw new IllegalArgumentException("negative layer size " + size + " for " + path);
        }
        this.path = path;
        this.size = size;
        this.file = file;
    }

    /** A layer whose file is on local disk and already open. */
    public static LayerResidence resident(LayerFile file) {
        try {
            return new LayerResidence(file.path(), Files.size(file.path()), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat layer file " + file.path(), e);
        }
    }

    /** A layer known only from the index: uploaded, {@code size} bytes, fetched by {@code download} when read. */
    public static LayerResidence evicted(Path path, long size, Download download) {
        LayerResidence r = new LayerResidence(path, size, null);
        r.download = download;
        r.uploaded = true;
        return r;
    }

    public Path path() {
        return path;
    }

    /** The file size in bytes (what the index records). */
    public long size() {
        return size;
    }

    public boolean isResident() {
        return file != null;
    }

    /** Bytes on local disk: the size when resident, else 0. */
    public long residentBytes() {
        return file != null ? size : 0;
    }

    public long lastAccessNanos() {
        return lastAccessNanos;
    }

    public boolean isUploaded() {
        return uploaded;
    }

    /** Called by the upload queue once the layer is in remote storage: from now on it may be evicted. */
    public void markUploaded(Download fromRemote) {
        download = fromRemote;
        uploaded = true;
    }

    /** The open file, downloading it first when evicted. */
    public LayerFile file() {
        lastAccessNanos = System.nanoTime();
        LayerFile f = file;
        if (f != null) {
            return f;
        }
        lock.lock();
        try {
            if (file == null) {
                Download d = download;
                if (d == null) {
                    throw new IllegalStateException("layer " + path.getFileName() + " is neither resident nor downloadable");
                }
                d.to(path, size);
                file = LayerFile.open(path);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download layer " + path.getFileName(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes and deletes the local copy of an uploaded layer; returns false when it was not resident
     * or is not uploaded yet.
     */
    public boolean evict() {
        lock.lock();
        try {
            LayerFile f = file;
            if (f == null || !uploaded) {
                return false;
            }
            file = null;
            f.close();
            Files.deleteIfExists(path);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete evicted layer file " + path, e);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the file if open (the local copy stays). */
    public void close() {
        LayerFile f = file;
        if (f != null) {
            f.close();
        }
    }
}
