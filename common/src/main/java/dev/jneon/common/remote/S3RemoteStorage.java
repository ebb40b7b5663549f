package dev.jneon.common.remote;

import java.io.InputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Remote storage in an S3 bucket, or on any server speaking the S3 API ({@code endpoint} plus
 * path-style access). Keys are {@code [prefix_in_bucket/]<RemotePath>}.
 *
 * <p>An object up to {@code partSize} goes in one PutObject; a larger one is a multipart upload of
 * {@code partSize} parts, read from the source one part at a time (memory per upload: one part). S3
 * makes neither visible before it completes; a failed multipart upload is aborted (best effort; an
 * abandoned one stays invisible and is removed by the bucket's lifecycle rules). Listings page with
 * {@code max_keys_per_list_response} keys per request; batch deletes send up to 1000 keys.
 *
 * <p>The SDK's own retries are off: callers retry whole operations with {@link RetryingRemoteStorage}.
 * Checksums are sent only where the API requires them, so S3-compatible servers without the newer
 * checksum headers work. {@code concurrency_limit} caps open connections. Thread-safe.
 */
public final class S3RemoteStorage implements RemoteStorage {

    private final RemoteStorageConfig.S3 config;
    private final S3Client client;
    private final S3Keys keys;

    public S3RemoteStorage(RemoteStorageConfig.S3 config) {
        this.config = config;
        this.keys = new S3Keys(config.prefixInBucket());
        RemoteTimeouts timeouts = config.timeouts();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.bucketRegion()))
                .forcePathStyle(config.forcePathStyle())
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(credentials(config))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(config.concurrencyLimit())
                        .connectionAcquisitionTimeout(timeouts.timeout())
                        .connectionTimeout(timeouts.smallTimeout())
                        .socketTimeout(timeouts.smallTimeout()));
        config.endpoint().ifPresent(builder::endpointOverride);
        this.client = builder.build();
    }

    @Override
    public Listing list(ListRequest request) throws RemoteStorageException {
        String what = "list " + request.keyPrefix();
        ListingCollector listing = new ListingCollector(request);
        String token = null;
        do {
            int pageSize = listing.nextPageSize(config.maxKeysPerListResponse().orElse(1000));
            String continuation = token;
            ListObjectsV2Response page = call(what, () -> client.listObjectsV2(b -> b
                    .bucket(config.bucketName())
                    .prefix(keys.full(request.keyPrefix()))
                    .delimiter(request.delimited() ? "/" : null)
                    .maxKeys(pageSize)
                    .continuationToken(continuation)
                    .overrideConfiguration(small())));
            List<RemoteObject> objects = new ArrayList<>();
            for (S3Object object : page.contents()) {
                objects.add(new RemoteObject(keys.relative(object.key()), object.size(), object.lastModified(),
                        object.eTag()));
            }
            List<RemotePath> folders = new ArrayList<>();
            for (CommonPrefix folder : page.commonPrefixes()) {
                folders.add(keys.relativeFolder(folder.prefix()));
            }
            listing.addPage(objects, folders);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null && !listing.isFull());
        return listing.result();
    }

    @Override
    public RemoteObject head(RemotePath path) throws RemoteStorageException {
        HeadObjectResponse head = call("head " + path, () -> client.headObject(b -> b
                .bucket(config.bucketName()).key(keys.full(path)).overrideConfiguration(small())));
        return new RemoteObject(path, head.contentLength(), head.lastModified(), head.eTag());
    }

    @Override
    public InputStream get(RemotePath path, ByteRange range) throws RemoteStorageException {
        String what = "get " + path;
        if (range.isEmpty()) {
            head(path);
            return InputStream.nullInputStream();
        }
        try {
            ResponseInputStream<GetObjectResponse> body = call(what, () -> client.getObject(b -> b
                    .bucket(config.bucketName()).key(keys.full(path))
                    .range(range.isAll() ? null : range.httpHeader())
                    .overrideConfiguration(large())));
            return new S3Download(body);
        } catch (RemoteStorageException.Other e) {
            if (S3Errors.isRangeNotSatisfiable(e)) {
                return InputStream.nullInputStream();
            }
            throw e;
        }
    }

    @Override
    public void put(RemotePath path, ObjectSource source, long length) throws RemoteStorageException {
        String what = "put " + path;
        String key = keys.full(path);
        StorageClass storageClass = config.uploadStorageClass().map(StorageClass::fromValue).orElse(null);
        try (InputStream in = source.open()) {
            UploadParts parts = new UploadParts(in, length, config.partSize());
            if (UploadParts.fitsOnePart(length, config.partSize())) {
                byte[] bytes = parts.hasNext() ? parts.next() : new byte[0];
                parts.finish();
                call(what, () -> client.putObject(b -> b.bucket(config.bucketName()).key(key)
                        .storageClass(storageClass).overrideConfiguration(large()), RequestBody.fromBytes(bytes)));
                return;
            }
            String uploadId = call(what, () -> client.createMultipartUpload(b -> b.bucket(config.bucketName())
                    .key(key).storageClass(storageClass).overrideConfiguration(small()))).uploadId();
            try {
                uploadParts(what, key, uploadId, parts);
            } catch (RemoteStorageException | IOException | RuntimeException e) {
                abortQuietly(key, uploadId);
                throw e;
            }
        } catch (IOException e) {
            throw S3Errors.map(what, e);
        }
    }

    private void uploadParts(String what, String key, String uploadId, UploadParts parts)
            throws RemoteStorageException, IOException {
        List<CompletedPart> completed = new ArrayList<>();
        while (parts.hasNext()) {
            byte[] part = parts.next();
            int number = completed.size() + 1;
            String etag = call(what + " part " + number, () -> client.uploadPart(b -> b.bucket(config.bucketName())
                    .key(key).uploadId(uploadId).partNumber(number).contentLength((long) part.length)
                    .overrideConfiguration(large()), RequestBody.fromBytes(part))).eTag();
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        parts.finish();
        call(what + " complete", () -> client.completeMultipartUpload(b -> b.bucket(config.bucketName()).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(completed)).overrideConfiguration(large())));
    }

    /** Aborts a failed multipart upload, also when the caller was interrupted; failures leave it to lifecycle rules. */
    private void abortQuietly(String key, String uploadId) {
        boolean interrupted = Thread.interrupted();
        try {
            client.abortMultipartUpload(b -> b.bucket(config.bucketName()).key(key).uploadId(uploadId)
                    .overrideConfiguration(small()));
        } catch (RuntimeException e) {
            // the server may be unreachable; the unfinished upload stays invisible
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void delete(RemotePath path) throws RemoteStorageException {
        call("delete " + path, () -> client.deleteObject(b -> b.bucket(config.bucketName()).key(keys.full(path))
                .overrideConfiguration(small())));
    }

    @Override
    public void deleteAll(Collection<RemotePath> paths) throws RemoteStorageException {
        List<RemotePath> all = List.copyOf(paths);
        for (int from = 0; from < all.size(); from += S3_DELETE_BATCH) {
            List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + S3_DELETE_BATCH)).stream()
                    .map(p -> ObjectIdentifier.builder().key(keys.full(p)).build()).toList();
            String what = "delete " + batch.size() + " objects";
            DeleteObjectsResponse response = call(what, () -> client.deleteObjects(b -> b
                    .bucket(config.bucketName()).delete(d -> d.objects(batch).quiet(true))
                    .overrideConfiguration(small())));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().getFirst();
                throw new RemoteStorageException.Other(what + ": " + response.errors().size() + " failed, first "
                        + first.key() + ": " + first.code() + " " + first.message(), true, null);
            }
        }
    }

    @Override
    public void copy(RemotePath from, RemotePath to) throws RemoteStorageException {
        call("copy " + from + " to " + to, () -> client.copyObject(b -> b
                .sourceBucket(config.bucketName()).sourceKey(keys.full(from))
                .destinationBucket(config.bucketName()).destinationKey(keys.full(to))
                .overrideConfiguration(large())));
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3RemoteStorage[" + config.bucketName() + config.prefixInBucket().map(p -> "/" + p).orElse("") + "]";
    }

    private AwsRequestOverrideConfiguration small() {
        return timeout(config.timeouts().smallTimeout());
    }

    private AwsRequestOverrideConfiguration large() {
        return timeout(config.timeouts().timeout());
    }

    private static AwsRequestOverrideConfiguration timeout(Duration limit) {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(limit).build();
    }

    private static <T> T call(String what, Supplier<T> request) throws RemoteStorageException {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw S3Errors.map(what, e);
        }
    }

    private static AwsCredentialsProvider credentials(RemoteStorageConfig.S3 config) {
        return config.credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }
}
