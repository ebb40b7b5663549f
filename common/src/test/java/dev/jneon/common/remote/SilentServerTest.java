package dev.jneon.common.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 and Azure backends against a loopback server that accepts connections and never answers:
 * requests end with {@link RemoteStorageException.Timeout} at the configured limit, and an
 * interrupted caller gets {@link RemoteStorageException.Cancelled}.
 */
class SilentServerTest {

    private static final RemoteTimeouts SHORT = new RemoteTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500));

    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        silent.close();
        acceptor.join();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + silent.getLocalPort());
    }

    private RemoteStorage s3() {
        RemoteStorageConfig.S3 base = RemoteStorageConfig.S3.bucket("b", "us-east-1")
                .withEndpoint(endpoint(), new RemoteStorageConfig.S3Credentials("k", "s"));
        return new S3RemoteStorage(new RemoteStorageConfig.S3(base.bucketName(), base.bucketRegion(), Optional.empty(),
                base.endpoint(), true, 4, OptionalInt.empty(), Optional.empty(), base.credentials(),
                RemoteStorageConfig.DEFAULT_PART_SIZE, SHORT));
    }

    private RemoteStorage azure() {
        RemoteStorageConfig.Azure base = RemoteStorageConfig.Azure.container("c", ObjectServers.AZURITE_ACCOUNT, "local",
                ObjectServers.AZURITE_KEY);
        return new AzureRemoteStorage(new RemoteStorageConfig.Azure(base.containerName(), base.storageAccount(),
                base.containerRegion(), Optional.empty(), Optional.of(URI.create(endpoint() + "/devstoreaccount1")), 4,
                8, base.accountKey(), Optional.empty(), OptionalInt.empty(), RemoteStorageConfig.DEFAULT_PART_SIZE,
                SHORT));
    }

    @Test
    void s3RequestsTimeOut() {
        try (RemoteStorage storage = s3()) {
            assertThatThrownBy(() -> storage.head(RemotePath.of("x"))).isInstanceOf(RemoteStorageException.Timeout.class);
            assertThatThrownBy(() -> storage.get(RemotePath.of("x"), ByteRange.ALL))
                    .isInstanceOf(RemoteStorageException.Timeout.class);
        }
    }

    @Test
    void azureRequestsTimeOut() {
        try (RemoteStorage storage = azure()) {
            assertThatThrownBy(() -> storage.head(RemotePath.of("x"))).isInstanceOf(RemoteStorageException.Timeout.class);
            assertThatThrownBy(() -> storage.delete(RemotePath.of("x"))).isInstanceOf(RemoteStorageException.Timeout.class);
        }
    }

    @Test
    void interruptingAHungS3CallCancelsIt() throws Exception {
        try (RemoteStorage storage = s3()) {
            assertThat(interruptedCall(storage)).isInstanceOf(RemoteStorageException.Cancelled.class);
        }
    }

    @Test
    void interruptingAHungAzureCallCancelsIt() throws Exception {
        try (RemoteStorage storage = azure()) {
            assertThat(interruptedCall(storage)).isInstanceOf(RemoteStorageException.Cancelled.class);
        }
    }

    /** Runs a 64 KiB put with the server silent, interrupts it once connected, returns what it threw. */
    private Throwable interruptedCall(RemoteStorage storage) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        byte[] body = new byte[1 << 16];
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                storage.put(RemotePath.of("x"), ObjectSource.of(body), body.length);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        while (accepted.isEmpty() && caller.isAlive()) {
            Thread.sleep(5);
        }
        caller.interrupt();
        caller.join();
        return outcome.get();
    }
}
