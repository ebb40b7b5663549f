package dev.jneon.common.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link RemoteStorage} backend promises, run against a local directory, s3rver
 * and Azurite (real servers on loopback, see {@link ObjectServers}). Each test works under its own
 * fresh prefix.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
class RemoteStorageContractIT {

    @RegisterExtension
    static final ObjectServers SERVERS = new ObjectServers();

    /** All three backends, or those named in {@code -Djneon.remote.backends=local fs,s3rver,azurite}. */
    static Stream<StorageUnderTest> backends() {
        String only = System.getProperty("jneon.remote.backends", "");
        return Stream.<StorageUnderTest>of(new StorageUnderTest.LocalFs(), new StorageUnderTest.S3rver(SERVERS),
                new StorageUnderTest.Azurite(SERVERS)).filter(b -> only.isBlank() || only.contains(b.toString()));
    }

    @Parameter
    StorageUnderTest backend;

    @TempDir
    Path scratch;

    private RemoteStorage storage;

    @BeforeEach
    void open() throws IOException {
        storage = backend.open("t-" + UUID.randomUUID(), scratch);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private void put(String key, String content) throws RemoteStorageException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        storage.put(RemotePath.of(key), ObjectSource.of(bytes), bytes.length);
    }

    private String read(String key, ByteRange range) throws RemoteStorageException, IOException {
        try (InputStream in = storage.get(RemotePath.of(key), range)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void putThenGetReturnsTheSameBytes() throws Exception {
        put("tenants/a/timelines/b/layer-1", "hello remote storage");
        put("empty", "");

        assertThat(read("tenants/a/timelines/b/layer-1", ByteRange.ALL)).isEqualTo("hello remote storage");
        assertThat(read("empty", ByteRange.ALL)).isEmpty();
        assertThat(storage.head(RemotePath.of("empty")).size()).isZero();
    }

    @Test
    void putReplacesAnExistingObject() throws Exception {
        put("k", "first version");
        put("k", "second");

        assertThat(read("k", ByteRange.ALL)).isEqualTo("second");
        assertThat(storage.head(RemotePath.of("k")).size()).isEqualTo(6);
    }

    @Test
    void rangedGetsCutAtTheEndOfTheObject() throws Exception {
        String content = IntStream.range(0, 100).mapToObj(i -> String.format("%010d", i)).reduce("", String::concat);
        put("ranged", content);

        assertThat(read("ranged", ByteRange.of(0, 10))).isEqualTo(content.substring(0, 10));
        assertThat(read("ranged", ByteRange.of(495, 612))).isEqualTo(content.substring(495, 612));
        assertThat(read("ranged", ByteRange.from(990))).isEqualTo(content.substring(990));
        assertThat(read("ranged", ByteRange.of(995, 5000))).isEqualTo(content.substring(995));
        assertThat(read("ranged", ByteRange.from(1000))).isEmpty();
        assertThat(read("ranged", ByteRange.from(4000))).isEmpty();
        assertThat(read("ranged", ByteRange.of(10, 10))).isEmpty();
    }

    @Test
    void headDescribesTheObject() throws Exception {
        put("described", "12345");
        RemoteObject first = storage.head(RemotePath.of("described"));
        put("described", "1234567");
        RemoteObject second = storage.head(RemotePath.of("described"));

        assertThat(first.path()).isEqualTo(RemotePath.of("described"));
        assertThat(first.size()).isEqualTo(5);
        assertThat(second.size()).isEqualTo(7);
        assertThat(first.etag()).isNotBlank().isNotEqualTo(second.etag());
    }

    @Test
    void missingObjectsAreNotFound() {
        RemotePath missing = RemotePath.of("no/such/object");

        assertThatThrownBy(() -> storage.get(missing, ByteRange.ALL)).isInstanceOf(RemoteStorageException.NotFound.class);
        assertThatThrownBy(() -> storage.get(missing, ByteRange.of(5, 5)))
                .isInstanceOf(RemoteStorageException.NotFound.class);
        assertThatThrownBy(() -> storage.head(missing)).isInstanceOf(RemoteStorageException.NotFound.class);
        assertThatThrownBy(() -> storage.copy(missing, RemotePath.of("elsewhere")))
                .isInstanceOf(RemoteStorageException.NotFound.class);
    }

    @Test
    void aSourceOfTheWrongLengthStoresNothing() {
        byte[] five = "12345".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> storage.put(RemotePath.of("short"), ObjectSource.of(five), 6))
                .isInstanceOf(RemoteStorageException.class);
        assertThatThrownBy(() -> storage.put(RemotePath.of("long"), ObjectSource.of(five), 4))
                .isInstanceOf(RemoteStorageException.class);
        assertThatThrownBy(() -> storage.head(RemotePath.of("short"))).isInstanceOf(RemoteStorageException.NotFound.class);
        assertThatThrownBy(() -> storage.head(RemotePath.of("long"))).isInstanceOf(RemoteStorageException.NotFound.class);
    }

    @Test
    void listingSelectsByFolderAndKeyPrefixInKeyOrder() throws Exception {
        for (String key : List.of("a/2", "a/1", "a/b/3", "a/b/c/4", "ab/5", "c", "d/6")) {
            put(key, key);
        }

        assertThat(keys(storage.list(ListRequest.everything())))
                .containsExactly("a/1", "a/2", "a/b/3", "a/b/c/4", "ab/5", "c", "d/6");
        assertThat(keys(storage.list(ListRequest.under(RemotePath.of("a")))))
                .containsExactly("a/1", "a/2", "a/b/3", "a/b/c/4");
        assertThat(keys(storage.list(ListRequest.keysStartingWith(RemotePath.of("a")))))
                .containsExactly("a/1", "a/2", "a/b/3", "a/b/c/4", "ab/5");

        Listing root = storage.list(ListRequest.children(Optional.empty()));
        assertThat(keys(root)).containsExactly("c");
        assertThat(root.folders()).extracting(RemotePath::value).containsExactly("a", "ab", "d");

        Listing a = storage.list(ListRequest.children(Optional.of(RemotePath.of("a"))));
        assertThat(keys(a)).containsExactly("a/1", "a/2");
        assertThat(a.folders()).extracting(RemotePath::value).containsExactly("a/b");

        assertThat(storage.list(ListRequest.under(RemotePath.of("nothing"))).objects()).isEmpty();
        assertThat(storage.list(ListRequest.everything()).objects())
                .allSatisfy(o -> assertThat(o.size()).isEqualTo(o.path().value().length()));
    }

    @Test
    void listingPagesThroughMoreKeysThanOneResponseHolds() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4 * StorageUnderTest.PAGE + 1; i++) {
            String key = String.format("many/%03d", i);
            put(key, "x");
            expected.add(key);
        }
        put("many/sub/x", "x");

        assertThat(keys(storage.list(ListRequest.under(RemotePath.of("many"))))).hasSize(expected.size() + 1)
                .containsSubsequence(expected);
        assertThat(keys(storage.list(ListRequest.under(RemotePath.of("many")).limit(5))))
                .containsExactlyElementsOf(expected.subList(0, 5));
        Listing children = storage.list(ListRequest.children(Optional.of(RemotePath.of("many"))));
        assertThat(keys(children)).containsExactlyElementsOf(expected);
        assertThat(children.folders()).containsExactly(RemotePath.of("many/sub"));
        Listing limited = storage.list(ListRequest.children(Optional.of(RemotePath.of("many"))).limit(2 * StorageUnderTest.PAGE));
        assertThat(keys(limited)).containsExactlyElementsOf(expected.subList(0, 2 * StorageUnderTest.PAGE));
    }

    @Test
    void deletingIsIdempotentAndPrefixDeletesStayInTheirFolder() throws Exception {
        for (String key : List.of("t/1", "t/2", "t/x/3", "tt/4", "u/5")) {
            put(key, key);
        }

        storage.delete(RemotePath.of("never/existed"));
        storage.delete(RemotePath.of("u/5"));
        storage.delete(RemotePath.of("u/5"));
        retryingServerRaces().deleteAll(List.of(RemotePath.of("t/1"), RemotePath.of("missing/1")));
        assertThat(keys(storage.list(ListRequest.everything()))).containsExactly("t/2", "t/x/3", "tt/4");

        retryingServerRaces().deletePrefix(RemotePath.of("t"));
        assertThat(keys(storage.list(ListRequest.everything()))).containsExactly("tt/4");
        assertThat(storage.list(ListRequest.children(Optional.empty())).folders()).containsExactly(RemotePath.of("tt"));
    }

    @Test
    void deletePrefixRemovesManyObjects() throws Exception {
        for (int i = 0; i < 25; i++) {
            put("bulk/" + i, "x");
            put("bulk/sub/" + i, "x");
        }
        put("bulky", "stays");
        retryingServerRaces().deletePrefix(RemotePath.of("bulk"));

        assertThat(keys(storage.list(ListRequest.everything()))).containsExactly("bulky");
    }

    @Test
    void copyDuplicatesAnObject() throws Exception {
        put("src/object", "copied content");
        storage.copy(RemotePath.of("src/object"), RemotePath.of("dst/object"));
        storage.delete(RemotePath.of("src/object"));

        assertThat(read("dst/object", ByteRange.ALL)).isEqualTo("copied content");
    }

    @Test
    void largeObjectsGoUpInPartsAndComeBackWhole() throws Exception {
        GeneratedSource source = new GeneratedSource(7, (64L << 20) + 12_345);
        RemotePath key = RemotePath.of("large/object");
        storage.put(key, source, source.length());

        assertThat(storage.head(key).size()).isEqualTo(source.length());
        try (InputStream in = storage.get(key, ByteRange.ALL)) {
            assertThat(GeneratedSource.sha256(in)).isEqualTo(source.sha256());
        }
        long boundary = StorageUnderTest.PART * 3;
        try (InputStream in = storage.get(key, ByteRange.of(boundary - 100, boundary + 100))) {
            assertThat(in.readAllBytes()).isEqualTo(source.bytes(boundary - 100, boundary + 100));
        }
        try (InputStream in = storage.get(key, ByteRange.from(source.length() - 10))) {
            assertThat(in.readAllBytes()).isEqualTo(source.bytes(source.length() - 10, source.length()));
        }
    }

    /**
     * The server dies (SIGKILL) in the middle of a multipart upload and comes back on the same port
     * and data; the retrying decorator finishes the upload. Meanwhile the key is never visible with
     * anything but its complete content.
     */
    @Test
    void anUploadSurvivesAServerKilledInTheMiddle() throws Exception {
        GeneratedSource source = new GeneratedSource(11, (40L << 20) + 777, 2 * StorageUnderTest.PART + 4096);
        RemotePath key = RemotePath.of("killed/upload");
        AtomicInteger retries = new AtomicInteger();
        RemoteStorage retrying = new RetryingRemoteStorage(storage,
                new RetryPolicy(200, Duration.ofMillis(20), Duration.ofMillis(500)), failure -> retries.incrementAndGet());
        try (var uploader = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                try {
                    retrying.put(key, source, source.length());
                } catch (RemoteStorageException e) {
                    throw new IllegalStateException(e);
                }
            }, uploader);
            assertThat(source.paused().await(2, TimeUnit.MINUTES)).as("upload reached the pause point").isTrue();
            assertNotVisible(key);
            backend.kill(storage);
            source.resume();
            Thread.sleep(200);
            backend.restart(storage);
            while (!upload.isDone()) {
                assertNeverPartial(key, source);
                Thread.sleep(20);
            }
            upload.get();
        } catch (ExecutionException e) {
            throw new AssertionError("upload failed after " + retries.get() + " retries", e.getCause());
        }

        assertThat(retries.get()).as("the killed server failed the upload at least once").isPositive();
        assertThat(source.opened()).isGreaterThan(1);
        assertThat(storage.head(key).size()).isEqualTo(source.length());
        try (InputStream in = storage.get(key, ByteRange.ALL)) {
            assertThat(GeneratedSource.sha256(in)).isEqualTo(source.sha256());
        }
    }

    /** Interrupting the uploading thread cancels the upload and leaves nothing behind. */
    @Test
    void interruptingAnUploadCancelsIt() throws Exception {
        GeneratedSource source = new GeneratedSource(13, 3 * StorageUnderTest.PART, StorageUnderTest.PART + 1024);
        RemotePath key = RemotePath.of("cancelled/upload");
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread uploader = Thread.ofVirtual().start(() -> {
            try {
                storage.put(key, source, source.length());
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        assertThat(source.paused().await(2, TimeUnit.MINUTES)).isTrue();
        uploader.interrupt();
        source.resume();
        uploader.join();

        assertThat(outcome.get()).isInstanceOf(RemoteStorageException.Cancelled.class);
        assertNotVisible(key);
    }

    /**
     * Batch deletes go through the retrying decorator, as services use them: s3rver deletes a batch's
     * keys concurrently and its clean-up of emptied directories races with itself, answering some
     * batches with a retryable 500 InternalError (which S3 clients are expected to retry). A missing
     * key is still an error here, since NotFound is never retried.
     */
    private RemoteStorage retryingServerRaces() {
        return new RetryingRemoteStorage(storage, new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(200)));
    }

    private void assertNotVisible(RemotePath key) throws RemoteStorageException {
        assertThatThrownBy(() -> storage.head(key)).isInstanceOf(RemoteStorageException.NotFound.class);
        assertThat(storage.list(ListRequest.everything()).keys()).doesNotContain(key);
    }

    /**
     * While the uploader has not read the last byte of the source, the key is absent: no attempt can
     * have asked to complete the object. After that it is absent or complete (where the server
     * completes atomically). Failures of a server that is down are expected.
     */
    private void assertNeverPartial(RemotePath key, GeneratedSource source) {
        boolean completing = source.fullyRead();
        try {
            RemoteObject visible = storage.head(key);
            assertThat(completing).as("%s visible before its last byte was read", key).isTrue();
            if (backend.completesAtomically()) {
                assertThat(visible.size()).isEqualTo(source.length());
            }
        } catch (RemoteStorageException.NotFound absent) {
            // not uploaded yet
        } catch (RemoteStorageException serverDown) {
            // the server is restarting
        }
        completing = source.fullyRead();
        try {
            for (RemoteObject listed : storage.list(ListRequest.everything()).objects()) {
                if (listed.path().equals(key)) {
                    assertThat(completing).as("%s listed before its last byte was read", key).isTrue();
                    if (backend.completesAtomically()) {
                        assertThat(listed.size()).isEqualTo(source.length());
                    }
                }
            }
        } catch (RemoteStorageException serverDown) {
            // the server is restarting
        }
    }

    private static List<String> keys(Listing listing) {
        return listing.keys().stream().map(RemotePath::value).toList();
    }
}
