package dev.jneon.common.remote;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where remote storage lives, mirroring Neon's {@code remote_storage} config keys so services can
 * bind them ({@code local_path}; {@code bucket_name}, {@code bucket_region}, {@code prefix_in_bucket},
 * {@code endpoint}, {@code concurrency_limit}, {@code max_keys_per_list_response},
 * {@code upload_storage_class}; {@code container_name}, {@code storage_account},
 * {@code container_region}, {@code prefix_in_container}, {@code conn_pool_size}; {@code timeout},
 * {@code small_timeout}). Secrets are left out of {@code toString}. {@link RemoteStorage#open} builds the
 * backend. Immutable.
 */
public sealed interface RemoteStorageConfig {

    /** Default Neon {@code concurrency_limit}. */
    int DEFAULT_CONCURRENCY_LIMIT = 100;

    /** Default size of one multipart-upload part (S3) or staged block (Azure): 8 MiB. */
    long DEFAULT_PART_SIZE = 8L << 20;

    /** S3's smallest part (all but the last); the largest part or single PUT is 5 GiB. */
    long MIN_PART_SIZE = 5L << 20;

    /** Per-request time limits. */
    RemoteTimeouts timeouts();

    /** A directory of the local file system ({@code local_path}); the default backend. */
    record LocalFs(Path localPath, RemoteTimeouts timeouts) implements RemoteStorageConfig {
        public LocalFs {
            Objects.requireNonNull(localPath, "localPath");
            Objects.requireNonNull(timeouts, "timeouts");
        }

        public LocalFs(Path localPath) {
            this(localPath, RemoteTimeouts.DEFAULT);
        }
    }

    /** Access key id and secret for S3 (otherwise the AWS default credential chain is used). */
    record S3Credentials(String accessKeyId, String secretAccessKey) {
        public S3Credentials {
            requireText(accessKeyId, "accessKeyId");
            requireText(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>]";
        }
    }

    /**
     * An S3 bucket or an S3-compatible server. {@code endpoint} overrides AWS's; {@code forcePathStyle}
     * puts the bucket in the URL path instead of the host name (what most S3-compatible servers
     * need); {@code partSize} is the multipart-upload part size, objects up to it go in one PUT.
     */
    record S3(String bucketName, String bucketRegion, Optional<RemotePath> prefixInBucket, Optional<URI> endpoint,
              boolean forcePathStyle, int concurrencyLimit, OptionalInt maxKeysPerListResponse,
              Optional<String> uploadStorageClass, Optional<S3Credentials> credentials, long partSize,
              RemoteTimeouts timeouts) implements RemoteStorageConfig {
        public S3 {
            requireText(bucketName, "bucket_name");
            requireText(bucketRegion, "bucket_region");
            Objects.requireNonNull(prefixInBucket, "prefixInBucket");
            Objects.requireNonNull(endpoint, "endpoint");
            requirePositive(concurrencyLimit, "concurrency_limit");
            maxKeysPerListResponse.ifPresent(n -> requirePositive(n, "max_keys_per_list_response"));
            Objects.requireNonNull(uploadStorageClass, "uploadStorageClass");
            Objects.requireNonNull(credentials, "credentials");
            requirePartSize(partSize);
            Objects.requireNonNull(timeouts, "timeouts");
        }

        /** A bucket with every other key at its default. */
        public static S3 bucket(String bucketName, String bucketRegion) {
            return new S3(bucketName, bucketRegion, Optional.empty(), Optional.empty(), false,
                    DEFAULT_CONCURRENCY_LIMIT, OptionalInt.empty(), Optional.empty(), Optional.empty(),
                    DEFAULT_PART_SIZE, RemoteTimeouts.DEFAULT);
        }

        /** This config talking to an S3-compatible server at {@code endpoint} with path-style URLs. */
        public S3 withEndpoint(URI url, S3Credentials creds) {
            return new S3(bucketName, bucketRegion, prefixInBucket, Optional.of(url), true, concurrencyLimit,
                    maxKeysPerListResponse, uploadStorageClass, Optional.of(creds), partSize, timeouts);
        }

        /** This config with objects under {@code prefix} and list pages of at most {@code maxKeys}. */
        public S3 withLayout(Optional<RemotePath> prefix, OptionalInt maxKeys, long newPartSize) {
            return new S3(bucketName, bucketRegion, prefix, endpoint, forcePathStyle, concurrencyLimit, maxKeys,
                    uploadStorageClass, credentials, newPartSize, timeouts);
        }
    }

    /**
     * An Azure Blob Storage container. Credentials: {@code connectionString} (which names the account,
     * key and endpoint), or {@code storageAccount} with {@code accountKey} (or, when absent, the
     * {@code AZURE_STORAGE_ACCESS_KEY} environment variable, as Neon reads it). {@code endpoint}
     * defaults to {@code https://<storage_account>.blob.core.windows.net}; {@code blockSize} is the
     * size of a staged block, objects up to it go in one PUT.
     */
    record Azure(String containerName, Optional<String> storageAccount, String containerRegion,
                 Optional<RemotePath> prefixInContainer, Optional<URI> endpoint, int concurrencyLimit,
                 int connPoolSize, Optional<String> accountKey, Optional<String> connectionString,
                 OptionalInt maxKeysPerListResponse, long blockSize, RemoteTimeouts timeouts)
            implements RemoteStorageConfig {
        public Azure {
            requireText(containerName, "container_name");
            Objects.requireNonNull(storageAccount, "storageAccount");
            requireText(containerRegion, "container_region");
            Objects.requireNonNull(prefixInContainer, "prefixInContainer");
            Objects.requireNonNull(endpoint, "endpoint");
            requirePositive(concurrencyLimit, "concurrency_limit");
            requirePositive(connPoolSize, "conn_pool_size");
            Objects.requireNonNull(accountKey, "accountKey");
            Objects.requireNonNull(connectionString, "connectionString");
            maxKeysPerListResponse.ifPresent(n -> requirePositive(n, "max_keys_per_list_response"));
            requirePartSize(blockSize);
            Objects.requireNonNull(timeouts, "timeouts");
            if (connectionString.isEmpty() && storageAccount.isEmpty()) {
                throw new IllegalArgumentException("azure remote storage needs storage_account or a connection string");
            }
        }

        /** A container of an account authenticated by its shared key, every other key at its default. */
        public static Azure container(String containerName, String storageAccount, String containerRegion,
                                      String accountKey) {
            return new Azure(containerName, Optional.of(storageAccount), containerRegion, Optional.empty(),
                    Optional.empty(), DEFAULT_CONCURRENCY_LIMIT, 8, Optional.of(accountKey), Optional.empty(),
                    OptionalInt.empty(), DEFAULT_PART_SIZE, RemoteTimeouts.DEFAULT);
        }

        /** This config with another endpoint, prefix, list page size and block size. */
        public Azure withLayout(Optional<URI> url, Optional<RemotePath> prefix, OptionalInt maxKeys, long newBlockSize) {
            return new Azure(containerName, storageAccount, containerRegion, prefix, url, concurrencyLimit,
                    connPoolSize, accountKey, connectionString, maxKeys, newBlockSize, timeouts);
        }

        @Override
        public String toString() {
            return "Azure[containerName=" + containerName + ", storageAccount=" + storageAccount.orElse("")
                    + ", containerRegion=" + containerRegion + ", prefixInContainer=" + prefixInContainer
                    + ", endpoint=" + endpoint + ", concurrencyLimit=" + concurrencyLimit + ", connPoolSize="
                    + connPoolSize + ", maxKeysPerListResponse=" + maxKeysPerListResponse + ", blockSize="
                    + blockSize + ", timeouts=" + timeouts + ", secrets=<redacted>]";
        }
    }

    private static void requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("remote storage key " + key + " must not be empty");
        }
    }

    private static void requirePositive(int value, String key) {
        if (value <= 0) {
            throw new IllegalArgumentException("remote storage key " + key + " must be positive: " + value);
        }
    }

    private static void requirePartSize(long size) {
        if (size < MIN_PART_SIZE || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("part size must be between 5 MiB and 2 GiB: " + size);
        }
    }
}
