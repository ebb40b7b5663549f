package dev.jneon.common.remote;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Remote storage in an Azure Blob Storage container (or Azurite). Blob names are
 * {@code [prefix_in_container/]<RemotePath>}.
 *
 * <p>An object up to {@code blockSize} goes in one Put Blob; a larger one is staged as blocks of
 * {@code blockSize} (read from the source one block at a time, ids unique per upload) and made
 * visible at once by Put Block List; uncommitted blocks are never visible and the service discards
 * them. Ranged gets read the properties first and pin the blob's ETag, so a concurrent overwrite fails
 * the read instead of mixing versions. Copies are server-side and waited for. Batch deletes run
 * single deletes concurrently.
 *
 * <p>The SDK's own retries are off (one try; callers use {@link RetryingRemoteStorage}); the HTTP
 * client is the JDK's. {@code concurrency_limit} caps requests in flight; {@code conn_pool_size} is
 * accepted for config compatibility, the JDK client sizes its own pool. Thread-safe.
 */
public final class AzureRemoteStorage implements RemoteStorage {

    /** The call-context key azure-core's HTTP clients read a per-request response timeout from. */
    private static final String RESPONSE_TIMEOUT = "azure-response-timeout";

    private final RemoteStorageConfig.Azure config;
    private final BlobContainerClient container;
    private final S3Keys keys;
    private final Semaphore inFlight;

    public AzureRemoteStorage(RemoteStorageConfig.Azure config) {
        this.config = config;
        this.keys = new S3Keys(config.prefixInContainer());
        this.inFlight = new Semaphore(config.concurrencyLimit());
        BlobContainerClientBuilder builder = new BlobContainerClientBuilder()
                .containerName(config.containerName())
                .httpClient(new JdkHttpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                        .connectionTimeout(config.timeouts().smallTimeout())
                        .responseTimeout(config.timeouts().timeout())
                        .readTimeout(config.timeouts().smallTimeout())
                        .writeTimeout(config.timeouts().timeout())
                        .build())
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, (Integer) null, null, null, null));
        if (config.connectionString().isPresent()) {
            builder.connectionString(config.connectionString().get());
        } else {
            String account = config.storageAccount().orElseThrow();
            String key = config.accountKey().or(() -> java.util.Optional.ofNullable(
                    System.getenv("AZURE_STORAGE_ACCESS_KEY"))).orElseThrow(() -> new IllegalArgumentException(
                    "azure remote storage needs an account key (config or AZURE_STORAGE_ACCESS_KEY)"));
            URI endpoint = config.endpoint().orElse(URI.create("https://" + account + ".blob.core.windows.net"));
            builder.endpoint(endpoint.toString()).credential(new StorageSharedKeyCredential(account, key));
        }
        this.container = builder.buildClient();
    }

    @Override
    public Listing list(ListRequest request) throws RemoteStorageException {
        String what = "list " + request.keyPrefix();
        ListingCollector listing = new ListingCollector(request);
        int pageLimit = config.maxKeysPerListResponse().orElse(5000);
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(keys.full(request.keyPrefix()))
                .setMaxResultsPerPage(listing.nextPageSize(pageLimit));
        call(what, () -> {
            var pages = (request.delimited() ? container.listBlobsByHierarchy("/", options, null)
                    : container.listBlobs(options, null)).iterableByPage(listing.nextPageSize(pageLimit));
            for (PagedResponse<BlobItem> page : pages) {
                List<RemoteObject> objects = new ArrayList<>();
                List<RemotePath> folders = new ArrayList<>();
                for (BlobItem item : page.getValue()) {
                    if (Boolean.TRUE.equals(item.isPrefix())) {
                        folders.add(keys.relativeFolder(item.getName()));
                    } else {
                        objects.add(new RemoteObject(keys.relative(item.getName()),
                                item.getProperties().getContentLength(),
                                item.getProperties().getLastModified().toInstant(), item.getProperties().getETag()));
                    }
                }
                objects.sort(Comparator.comparing(RemoteObject::path));
                folders.sort(Comparator.naturalOrder());
                listing.addPage(objects, folders);
                if (listing.isFull()) {
                    break;
                }
            }
            return null;
        });
        return listing.result();
    }

    @Override
    public RemoteObject head(RemotePath path) throws RemoteStorageException {
        BlobProperties properties = properties(path);
        return new RemoteObject(path, properties.getBlobSize(), properties.getLastModified().toInstant(),
                properties.getETag());
    }

    @Override
    public InputStream get(RemotePath path, ByteRange range) throws RemoteStorageException {
        BlobProperties properties = properties(path);
        long size = properties.getBlobSize();
        long start = Math.min(range.start(), size);
        long end = Math.min(range.end().orElse(size), size);
        if (start == end) {
            return InputStream.nullInputStream();
        }
        BlobInputStreamOptions options = new BlobInputStreamOptions()
                .setRange(new BlobRange(start, end - start))
                .setRequestConditions(new BlobRequestConditions().setIfMatch(properties.getETag()))
                .setBlockSize(Math.toIntExact(Math.min(config.blockSize(), 4L << 20)));
        return call("get " + path, () -> blob(path).openInputStream(options, large()));
    }

    @Override
    public void put(RemotePath path, ObjectSource source, long length) throws RemoteStorageException {
        String what = "put " + path;
        BlockBlobClient blob = blob(path).getBlockBlobClient();
        try (InputStream in = source.open()) {
            UploadParts parts = new UploadParts(in, length, config.blockSize());
            if (UploadParts.fitsOnePart(length, config.blockSize())) {
                byte[] bytes = parts.hasNext() ? parts.next() : new byte[0];
                parts.finish();
                call(what, () -> blob.uploadWithResponse(
                        new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes)), null, large()));
                return;
            }
            String upload = UUID.randomUUID().toString();
            List<String> blockIds = new ArrayList<>();
            while (parts.hasNext()) {
                byte[] block = parts.next();
                String id = Base64.getEncoder().encodeToString(
                        String.format("%s-%08d", upload, blockIds.size()).getBytes(StandardCharsets.US_ASCII));
                call(what + " block " + blockIds.size(), () -> blob.stageBlockWithResponse(
                        new BlockBlobStageBlockOptions(id, BinaryData.fromBytes(block)), null, large()));
                blockIds.add(id);
            }
            parts.finish();
            call(what + " commit", () -> blob.commitBlockListWithResponse(
                    new BlockBlobCommitBlockListOptions(blockIds), null, large()));
        } catch (IOException e) {
            throw AzureErrors.map(what, e);
        }
    }

    @Override
    public void delete(RemotePath path) throws RemoteStorageException {
        call("delete " + path, () -> blob(path).deleteIfExistsWithResponse(null, null, null, small()));
    }

    @Override
    public void deleteAll(Collection<RemotePath> paths) throws RemoteStorageException {
        try (ExecutorService deleters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> deletes = new ArrayList<>();
            for (RemotePath path : paths) {
                deletes.add(deleters.submit(() -> {
                    delete(path);
                    return null;
                }));
            }
            for (Future<?> delete : deletes) {
                delete.get();
            }
        } catch (InterruptedException e) {
            throw new RemoteStorageException.Cancelled("delete " + paths.size() + " objects: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RemoteStorageException failure) {
                throw failure;
            }
            throw AzureErrors.map("delete " + paths.size() + " objects", e);
        }
    }

    @Override
    public void copy(RemotePath from, RemotePath to) throws RemoteStorageException {
        String source = blob(from).getBlobUrl();
        Duration limit = config.timeouts().timeout();
        call("copy " + from + " to " + to, () -> blob(to).beginCopy(
                new BlobBeginCopyOptions(source).setPollInterval(Duration.ofMillis(100))).waitForCompletion(limit));
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "AzureRemoteStorage[" + config.containerName()
                + config.prefixInContainer().map(p -> "/" + p).orElse("") + "]";
    }

    private BlobClient blob(RemotePath path) {
        return container.getBlobClient(keys.full(path));
    }

    private BlobProperties properties(RemotePath path) throws RemoteStorageException {
        return call("head " + path, () -> blob(path).getPropertiesWithResponse(null, null, small()).getValue());
    }

    /**
     * Per-request response time limits go through the call context (read by azure-core's HTTP
     * clients) rather than the SDK's timeout parameters, which run the call on a shared pool and lose
     * the cause of a timeout; so calls stay on the caller's thread and interrupts reach them.
     */
    private Context small() {
        return new Context(RESPONSE_TIMEOUT, config.timeouts().smallTimeout());
    }

    private Context large() {
        return new Context(RESPONSE_TIMEOUT, config.timeouts().timeout());
    }

    private <T> T call(String what, Callable<T> request) throws RemoteStorageException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            throw new RemoteStorageException.Cancelled(what + ": interrupted", e);
        }
        try {
            return request.call();
        } catch (Exception e) {
            throw AzureErrors.map(what, e);
        } finally {
            inFlight.release();
        }
    }
}
