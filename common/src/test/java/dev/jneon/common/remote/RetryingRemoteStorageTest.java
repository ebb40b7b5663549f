package dev.jneon.common.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.remote.FaultInjectingRemoteStorage.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RetryingRemoteStorage} over a local directory with injected faults. */
class RetryingRemoteStorageTest {

    private static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));
    private static final RemotePath KEY = RemotePath.of("a/key");
    private static final byte[] CONTENT = "content".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private FaultInjectingRemoteStorage faulty;
    private final List<RemoteStorageException> retried = new ArrayList<>();
    private RetryingRemoteStorage retrying;

    @BeforeEach
    void open() {
        faulty = new FaultInjectingRemoteStorage(new LocalFsRemoteStorage(new RemoteStorageConfig.LocalFs(root)));
        retrying = new RetryingRemoteStorage(faulty, QUICK, retried::add);
    }

    @AfterEach
    void close() {
        retrying.close();
    }

    @Test
    void retriesRetryableFailuresUntilTheCallSucceeds() throws Exception {
        faulty.failNext(Operation.PUT, 3);
        retrying.put(KEY, ObjectSource.of(CONTENT), CONTENT.length);

        assertThat(retried).hasSize(3);
        assertThat(faulty.head(KEY).size()).isEqualTo(CONTENT.length);
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheLastFailure() {
        faulty.failNext(Operation.HEAD, 10);

        assertThatThrownBy(() -> retrying.head(KEY)).isInstanceOf(RemoteStorageException.Other.class)
                .hasMessageContaining("injected");
        assertThat(retried).hasSize(QUICK.maxAttempts() - 1);
        assertThat(faulty.injectedFailures()).isEqualTo(QUICK.maxAttempts());
    }

    @Test
    void doesNotRetryNotFound() {
        assertThatThrownBy(() -> retrying.get(KEY, ByteRange.ALL)).isInstanceOf(RemoteStorageException.NotFound.class);
        assertThat(retried).isEmpty();
    }

    @Test
    void doesNotRetryPermanentFailures() {
        assertThatThrownBy(() -> retrying.put(KEY, ObjectSource.of(CONTENT), CONTENT.length + 1))
                .isInstanceOfSatisfying(RemoteStorageException.Other.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("ended after 7 of 8");
        assertThat(retried).isEmpty();
    }

    @Test
    void anOutageMidUploadIsRetriedFromAFreshSource() throws Exception {
        byte[] large = new byte[5 << 20];
        new SplittableRandom(1).nextBytes(large);
        CountDownLatch midway = new CountDownLatch(1);
        int[] opens = {0};
        ObjectSource source = () -> {
            opens[0]++;
            return new java.io.FilterInputStream(new java.io.ByteArrayInputStream(large)) {
                private long read;

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int n = super.read(b, off, Math.min(len, 1 << 16));
                    read += Math.max(n, 0);
                    if (read > large.length / 2 && opens[0] == 1) {
                        faulty.startOutage();
                        midway.countDown();
                    }
                    return n;
                }
            };
        };
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try {
                midway.await();
                Thread.sleep(20);
                faulty.endOutage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RetryingRemoteStorage patient = new RetryingRemoteStorage(faulty,
                new RetryPolicy(1000, Duration.ofMillis(1), Duration.ofMillis(5)), retried::add);
        patient.put(KEY, source, large.length);
        ended.get();

        assertThat(retried).isNotEmpty();
        assertThat(opens[0]).isGreaterThan(1);
        try (var in = faulty.get(KEY, ByteRange.ALL)) {
            assertThat(in.readAllBytes()).isEqualTo(large);
        }
        assertThat(root.resolve(LocalFsRemoteStorage.TEMP_DIR)).isEmptyDirectory();
    }

    @Test
    void interruptingTheCallerEndsTheBackoffWithCancelled() throws Exception {
        faulty.failNext(Operation.LIST, 1000);
        RetryingRemoteStorage slow = new RetryingRemoteStorage(faulty,
                new RetryPolicy(1000, Duration.ofHours(1), Duration.ofHours(1)), retried::add);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        boolean[] stillInterrupted = {false};
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                slow.list(ListRequest.everything());
                outcome.complete(null);
            } catch (Throwable t) {
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
                outcome.complete(t);
            }
        });
        while (retried.isEmpty()) {
            Thread.onSpinWait();
        }
        caller.interrupt();
        caller.join();

        assertThat(outcome.get()).isInstanceOf(RemoteStorageException.Cancelled.class);
        assertThat(stillInterrupted[0]).as("Cancelled leaves the interrupt status set").isTrue();
    }

    @Test
    void backoffGrowsExponentiallyUpToTheCeilingWithJitterBelowIt() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1));

        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.ceiling(500)).isEqualTo(Duration.ofSeconds(1));
        SplittableRandom random = new SplittableRandom(3);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            delays.add(policy.delay(3, random));
        }
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(400)));
        assertThat(delays.stream().distinct().count()).isGreaterThan(50);
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
