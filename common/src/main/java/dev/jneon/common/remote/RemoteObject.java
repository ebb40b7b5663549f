package dev.jneon.common.remote;

import java.time.Instant;
import java.util.Objects;

/**
 * What the storage knows about a stored object: its key, size in bytes, last modification time and
 * an entity tag that changes whenever the content may have (opaque; quoted or not as the backend
 * returns it). Immutable.
 */
public record RemoteObject(RemotePath path, long size, Instant lastModified, String etag) {

    public RemoteObject {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(etag, "etag");
        if (size < 0) {
            throw new IllegalArgumentException("negative object size " + size + " for " + path);
        }
    }
}
