package dev.jneon.common.remote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The content of an upload: opens a fresh stream over the same bytes each time it is called, so a
 * failed upload can be retried from the start (the stream of a failed attempt is closed by the
 * uploader). Implementations must be safe to open from any thread, one stream at a time.
 */
@FunctionalInterface
public interface ObjectSource {

    /** A new stream positioned at the first byte. */
    InputStream open() throws IOException;

    /** The given bytes (not copied: do not change them while an upload runs). */
    static ObjectSource of(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    /** The current content of a local file. */
    static ObjectSource of(Path file) {
        return () -> Files.newInputStream(file);
    }
}
