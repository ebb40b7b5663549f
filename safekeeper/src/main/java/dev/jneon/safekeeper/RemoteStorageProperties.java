package dev.jneon.safekeeper;

import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorageConfig;
import dev.jneon.common.remote.RemoteTimeouts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where WAL is offloaded: Neon's {@code remote_storage} keys under
 * {@code jneon.safekeeper.remote-storage.*}. One of {@code local-path}, {@code bucket-name} (S3) or
 * {@code container-name} (Azure) selects the backend; none of them = no offload (WAL is then removed
 * only below what the pageserver has made durable). Immutable; secrets are left out of
 * {@code toString}.
 *
 * @param localPath directory of the local file-system backend
 * @param bucketName S3 bucket; with {@code bucketRegion}, optional {@code prefixInBucket},
 *     {@code endpoint} (an S3-compatible server, path-style), {@code accessKeyId}/{@code secretAccessKey}
 * @param containerName Azure container; with {@code containerRegion}, {@code storageAccount} and
 *     {@code accountKey}, or {@code connectionString}; optional {@code prefixInContainer}, {@code endpoint}
 * @param timeout limit of an upload or download request; default 120 s
 * @param smallTimeout limit of a list, head or delete request; default 30 s
 */
public record RemoteStorageProperties(Path localPath, String bucketName, String bucketRegion, String prefixInBucket,
        URI endpoint, String accessKeyId, String secretAccessKey, String containerName, String storageAccount,
        String containerRegion, String prefixInContainer, String accountKey, String connectionString,
        Duration timeout, Duration smallTimeout) {

    public static final RemoteStorageProperties NONE = new RemoteStorageProperties(null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null);

    @Override
    public String toString() {
        return "RemoteStorageProperties[" + toConfig().map(Object::toString).orElse("none") + "]";
    }

    /** The configured backend, or empty when none is; conflicting keys are an {@link IllegalArgumentException}. */
    public Optional<RemoteStorageConfig> toConfig() {
        int chosen = (localPath != null ? 1 : 0) + (bucketName != null ? 1 : 0) + (containerName != null ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException("jneon.safekeeper.remote-storage: set only one of local-path, "
                    + "bucket-name and container-name");
        }
        var timeouts = new RemoteTimeouts(timeout != null ? timeout : RemoteTimeouts.DEFAULT.timeout(),
                smallTimeout != null ? smallTimeout : RemoteTimeouts.DEFAULT.smallTimeout());
        if (localPath != null) {
            return Optional.of(new RemoteStorageConfig.LocalFs(localPath, timeouts));
        }
        if (bucketName != null) {
            var creds = accessKeyId == null ? Optional.<RemoteStorageConfig.S3Credentials>empty()
                    : Optional.of(new RemoteStorageConfig.S3Credentials(accessKeyId, secretAccessKey));
            return Optional.of(new RemoteStorageConfig.S3(bucketName, bucketRegion, prefix(prefixInBucket),
                    Optional.ofNullable(endpoint), endpoint != null, RemoteStorageConfig.DEFAULT_CONCURRENCY_LIMIT,
                    OptionalInt.empty(), Optional.empty(), creds, RemoteStorageConfig.DEFAULT_PART_SIZE, timeouts));
        }
        if (containerName != null) {
            return Optional.of(new RemoteStorageConfig.Azure(containerName, Optional.ofNullable(storageAccount),
                    containerRegion, prefix(prefixInContainer), Optional.ofNullable(endpoint),
                    RemoteStorageConfig.DEFAULT_CONCURRENCY_LIMIT, 8, Optional.ofNullable(accountKey),
                    Optional.ofNullable(connectionString), OptionalInt.empty(), RemoteStorageConfig.DEFAULT_PART_SIZE,
                    timeouts));
        }
        return Optional.empty();
    }

    private static Optional<RemotePath> prefix(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(RemotePath.of(value));
    }
}
