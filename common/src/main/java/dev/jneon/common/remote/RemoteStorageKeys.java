package dev.jneon.common.remote;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A service's remote storage settings as Neon's {@code remote_storage} keys (in kebab-case under a
 * service prefix, e.g. {@code jneon.pageserver.remote-storage.*}), mapped to a
 * {@link RemoteStorageConfig}. {@code local-path} selects a local directory, {@code bucket-name} S3 (or an S3-compatible server at {@code endpoint}, path-style), and
 * {@code container-name} Azure Blob Storage; none of them = no remote storage.
 * Immutable; validated when bound; secrets are left out of {@code toString}.
 *
 * @param localPath directory of the local file-system backend
 * @param bucketName S3 bucket
 * @param bucketRegion S3 region
 * @param prefixInBucket key prefix inside the bucket
 * @param endpoint S3-compatible server or Azure blob endpoint URL
 * @param accessKeyId S3 access key id (unset: the AWS default credential chain)
 * @param secretAccessKey S3 secret key
 * @param containerName Azure container
 * @param storageAccount Azure storage account
 * @param containerRegion Azure region
 * @param prefixInContainer key prefix inside the container
 * @param accountKey Azure shared key (unset: {@code AZURE_STORAGE_ACCESS_KEY})
 * @param connectionString Azure connection string instead of account and key
 * @param timeout limit of an upload or download request (120 s)
 * @param smallTimeout limit of a list, head or delete request (30 s)
 */
public record RemoteStorageKeys(Path localPath, String bucketName, String bucketRegion, String prefixInBucket,
        URI endpoint, String accessKeyId, String secretAccessKey, String containerName, String storageAccount,
        String containerRegion, String prefixInContainer, String accountKey, String connectionString, Duration timeout,
        Duration smallTimeout) {

    public RemoteStorageKeys {
        int chosen = (localPath != null ? 1 : 0) + (bucketName != null ? 1 : 0) + (containerName != null ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException("remote storage: set one of local-path, bucket-name and container-name");
        }
    }

    /** No remote storage. */
    public static final RemoteStorageKeys NONE = new RemoteStorageKeys(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    /** The backend, or empty when none is configured. */
    public Optional<RemoteStorageConfig> toConfig() {
        RemoteTimeouts timeouts = new RemoteTimeouts(timeout != null ? timeout : RemoteTimeouts.DEFAULT.timeout(),
                smallTimeout != null ? smallTimeout : RemoteTimeouts.DEFAULT.smallTimeout());
        if (localPath != null) {
            return Optional.of(new RemoteStorageConfig.LocalFs(localPath, timeouts));
        }
        if (bucketName != null) {
            var creds = accessKeyId == null ? Optional.<RemoteStorageConfig.S3Credentials>empty()
                    : Optional.of(new RemoteStorageConfig.S3Credentials(accessKeyId, secretAccessKey));
            return Optional.of(new RemoteStorageConfig.S3(bucketName, bucketRegion, path(prefixInBucket),
                    Optional.ofNullable(endpoint), endpoint != null, RemoteStorageConfig.DEFAULT_CONCURRENCY_LIMIT,
                    OptionalInt.empty(), Optional.empty(), creds, RemoteStorageConfig.DEFAULT_PART_SIZE, timeouts));
        }
        if (containerName != null) {
            return Optional.of(new RemoteStorageConfig.Azure(containerName, Optional.ofNullable(storageAccount),
                    containerRegion, path(prefixInContainer), Optional.ofNullable(endpoint),
                    RemoteStorageConfig.DEFAULT_CONCURRENCY_LIMIT, 8, Optional.ofNullable(accountKey),
                    Optional.ofNullable(connectionString), OptionalInt.empty(), RemoteStorageConfig.DEFAULT_PART_SIZE,
                    timeouts));
        }
        return Optional.empty();
    }

    private static Optional<RemotePath> path(String prefix) {
        return prefix == null || prefix.isBlank() ? Optional.empty() : Optional.of(RemotePath.of(prefix));
    }

    @Override
    public String toString() {
        return "RemoteStorageKeys[" + toConfig().map(Object::toString).orElse("none") + "]";
    }
}
