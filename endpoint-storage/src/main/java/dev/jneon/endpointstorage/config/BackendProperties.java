package dev.jneon.endpointstorage.config;

import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorageConfig;
import dev.jneon.common.remote.RemoteTimeouts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the objects live: Neon's flattened {@code remote_storage} keys under
 * {@code jneon.endpoint-storage.*} (kebab-case; {@code local_path} style also binds). Exactly one of
 * {@code local-path}, {@code bucket-name} (S3) and {@code container-name} (Azure) selects the
 * backend; with none, a local directory {@code ./endpoint_storage} is used. Immutable.
 *
 * @param localPath root directory of the local file-system backend
 * @param bucketName S3 bucket
 * @param bucketRegion S3 region (required with a bucket)
 * @param prefixInBucket key prefix inside the bucket
 * @param endpoint S3-compatible server URL (path-style addressing is used with it) or Azure blob endpoint
 * @param accessKeyId S3 access key id; unset = the AWS default credential chain
 * @param secretAccessKey S3 secret key (with {@code accessKeyId})
 * @param uploadStorageClass S3 storage class of uploads
 * @param concurrencyLimit parallel requests to the backend; default 100
 * @param maxKeysPerListResponse page size of listings (prefix deletes)
 * @param containerName Azure container
 * @param storageAccount Azure storage account
 * @param containerRegion Azure region (required with a container)
 * @param prefixInContainer key prefix inside the container
 * @param accountKey Azure shared key; unset = {@code AZURE_STORAGE_ACCESS_KEY}
 * @param connectionString Azure connection string (instead of account and key)
 * @param connPoolSize Azure connection pool size; default 8
 * @param timeout limit of a large request (upload, download); default 120 s
 * @param smallTimeout limit of a small request (head, delete, list); default 30 s
 */
@ConfigurationProperties("jneon.endpoint-storage")
public record BackendProperties(Path localPath, String bucketName, String bucketRegion, String prefixInBucket,
                                URI endpoint, String accessKeyId, String secretAccessKey, String uploadStorageClass,
                                Integer concurrencyLimit, Integer maxKeysPerListResponse, String containerName,
                                String storageAccount, String containerRegion, String prefixInContainer,
                                String accountKey, String connectionString, Integer connPoolSize, Duration timeout,
                                Duration smallTimeout) {

    /** The local directory used when no backend is configured. */
    public static final Path DEFAULT_LOCAL_PATH = Path.of("endpoint_storage");

    @Override
    public String toString() {
        String backend = bucketName != null ? "s3 bucket " + bucketName
                : containerName != null ? "azure container " + containerName : "local " + localPath;
        return "BackendProperties[" + backend + ", secrets=<redacted>]";
    }

    /** The backend these keys describe; throws {@link IllegalArgumentException} for conflicting or missing keys. */
    public RemoteStorageConfig toConfig() {
        int chosen = (localPath != null ? 1 : 0) + (bucketName != null ? 1 : 0) + (containerName != null ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException("jneon.endpoint-storage: set only one of local-path, bucket-name and "
                    + "container-name");
        }
        RemoteTimeouts timeouts = new RemoteTimeouts(orDefault(timeout, RemoteTimeouts.DEFAULT.timeout()),
                orDefault(smallTimeout, RemoteTimeouts.DEFAULT.smallTimeout()));
        if (bucketName != null) {
            return s3(timeouts);
        }
        if (containerName != null) {
            return azure(timeouts);
        }
        return new RemoteStorageConfig.LocalFs(orDefault(localPath, DEFAULT_LOCAL_PATH), timeouts);
    }

    private RemoteStorageConfig.S3 s3(RemoteTimeouts timeouts) {
        Optional<RemoteStorageConfig.S3Credentials> credentials = accessKeyId == null ? Optional.empty()
                : Optional.of(new RemoteStorageConfig.S3Credentials(accessKeyId, secretAccessKey));
        return new RemoteStorageConfig.S3(bucketName, bucketRegion, prefix(prefixInBucket), Optional.ofNullable(endpoint),
                endpoint != null, orDefault(concurrencyLimit, RemoteStorageConfig.DEFAULT_CONCURRENCY_LIMIT),
                optionalInt(maxKeysPerListResponse), Optional.ofNullable(uploadStorageClass), credentials,
                RemoteStorageConfig.DEFAULT_PART_SIZE, timeouts);
    }

    private RemoteStorageConfig.Azure azure(RemoteTimeouts timeouts) {
        return new RemoteStorageConfig.Azure(containerName, Optional.ofNullable(storageAccount), containerRegion,
                prefix(prefixInContainer), Optional.ofNullable(endpoint),
                orDefault(concurrencyLimit, RemoteStorageConfig.DEFAULT_CONCURRENCY_LIMIT), orDefault(connPoolSize, 8),
                Optional.ofNullable(accountKey), Optional.ofNullable(connectionString),
                optionalInt(maxKeysPerListResponse), RemoteStorageConfig.DEFAULT_PART_SIZE, timeouts);
    }

    private static Optional<RemotePath> prefix(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(RemotePath.of(value));
    }

    private static OptionalInt optionalInt(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
