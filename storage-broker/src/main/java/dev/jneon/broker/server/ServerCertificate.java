package dev.jneon.broker.server;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The TLS listener's key and certificate, kept fresh from disk: read once when opened (bad files
 * fail start-up) and then checked every reload period; changed files are re-read so new
 * connections get the new certificate without a restart, while open connections keep theirs. A
 * failed re-read keeps the previous identity (gRPC logs it). The certificate file may hold a chain
 * (leaf first); the key must be PKCS#8 PEM. No client certificates are requested.
 * Thread-safe; owns one scheduler thread until {@link #close()}.
 */
public final class ServerCertificate implements AutoCloseable {

    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
    private final ScheduledExecutorService scheduler;
    private final AdvancedTlsX509KeyManager.Closeable reloading;

    private ServerCertificate(Path certFile, Path keyFile, Duration reloadPeriod) throws IOException, GeneralSecurityException {
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("broker-cert-reload").daemon().factory());
        try {
            reloading = keyManager.updateIdentityCredentials(certFile.toFile(), keyFile.toFile(),
                    reloadPeriod.toMillis(), TimeUnit.MILLISECONDS, scheduler);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
    }

    /** Loads the files now; throws {@link IllegalStateException} naming them if they cannot be used. */
    public static ServerCertificate open(Path certFile, Path keyFile, Duration reloadPeriod) {
        try {
            return new ServerCertificate(certFile, keyFile, reloadPeriod);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot load TLS certificate " + certFile + " with key " + keyFile
                    + " (PEM certificate chain and PKCS#8 PEM key expected): " + e.getMessage(), e);
        }
    }

    public ServerCredentials credentials() {
        return TlsServerCredentials.newBuilder().keyManager(keyManager).build();
    }

    @Override
    public void close() {
        reloading.close();
        scheduler.shutdownNow();
    }
}
