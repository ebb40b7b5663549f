package dev.jneon.endpointstorage.config;

import dev.jneon.common.remote.ByteRange;
import dev.jneon.common.remote.ObjectSource;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Proves at start-up that the backend is usable: writes {@code write_access_<nanos>} at the root,
 * reads it back, compares and deletes it. Any failure stops the service from starting (better than
 * accepting requests that cannot be stored). Runs once, on the start-up thread.
 */
public final class StartupProbe implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupProbe.class);

    private final RemoteStorage storage;

    StartupProbe(RemoteStorage storage) {
        this.storage = storage;
    }

    @Override
    public void run(ApplicationArguments args) {
        RemotePath probe = RemotePath.of("write_access_" + System.nanoTime());
        byte[] content = ("endpoint storage write probe " + probe).getBytes(StandardCharsets.UTF_8);
        byte[] read;
        try {
            storage.put(probe, ObjectSource.of(content), content.length);
            try (InputStream in = storage.get(probe, ByteRange.ALL)) {
                read = in.readAllBytes();
            }
            storage.delete(probe);
        } catch (RemoteStorageException | IOException e) {
            throw new IllegalStateException("endpoint storage start-up probe " + probe + " failed: " + e.getMessage(),
                    e);
        }
        if (!Arrays.equals(content, read)) {
            throw new IllegalStateException("endpoint storage start-up probe " + probe + " read back different bytes");
        }
        log.info("endpoint storage backend is writable (probe {} written, read and deleted)", probe);
    }
}
