package dev.jneon.common.remote;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts one stream of an {@link ObjectSource} into parts of at most {@code partSize} bytes, checking
 * that it holds exactly the declared length: a stream that ends early fails the part that misses
 * bytes, one that goes on fails {@link #finish}, both with a non-retryable
 * {@link RemoteStorageException.Other} (the caller's mistake; a repeat would fail the same way).
 * Not thread-safe; owned by one upload.
 */
final class UploadParts {

    private final InputStream in;
    private final long length;
    private final int partSize;
    private long consumed;

    UploadParts(InputStream in, long length, long partSize) {
        if (length < 0) {
            throw new IllegalArgumentException("negative upload length " + length);
        }
        this.in = in;
        this.length = length;
        this.partSize = Math.toIntExact(partSize);
    }

    /** Whether the whole object fits in one part (a single PUT). */
    static boolean fitsOnePart(long length, long partSize) {
        return length <= partSize;
    }

    /** Whether bytes remain to be cut. */
    boolean hasNext() {
        return consumed < length;
    }

    /** The next part: {@code partSize} bytes, or the rest of the object for the last part. */
    byte[] next() throws IOException, RemoteStorageException {
        int size = (int) Math.min(partSize, length - consumed);
        byte[] part = in.readNBytes(size);
        if (part.length != size) {
            throw new RemoteStorageException.Other("upload source ended after " + (consumed + part.length) + " of "
                    + length + " declared bytes", false, null);
        }
        consumed += size;
        return part;
    }

    /** Fails if the source holds more than the declared length. */
    void finish() throws IOException, RemoteStorageException {
        if (in.read() >= 0) {
            throw new RemoteStorageException.Other("upload source holds more than the " + length + " declared bytes",
                    false, null);
        }
    }
}
