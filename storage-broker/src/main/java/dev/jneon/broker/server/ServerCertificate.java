package dev.jneon.broker.server;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener's key and certificate, kept fresh from disk: read once when opened (bad files
 * fail start-up), then both files are read again every reload period and, if their bytes changed,
 * parsed and installed in the key manager, so new connections get the new certificate without a
 * restart while open connections keep theirs. A change that does not parse (say, a half-written
 * file) is logged and the previous identity kept; the next period tries again. The certificate
 * file may hold a chain, leaf first; the key is PEM in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form
 * ({@link PemPrivateKey}). No client certificates are requested.
 *
 * <p>gRPC's own file watcher is not used because it raises periods under a minute to a minute
 * and needs both files' modification times to change. Thread-safe: the reload runs on this
 * object's single scheduler thread; the key manager swaps identities atomically.
 */
public final class ServerCertificate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

    private final Path certFile;
    private final Path keyFile;
    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
    private final ScheduledExecutorService scheduler;
    private byte[] loadedCert; // only touched by the constructor, then the scheduler thread
    private byte[] loadedKey;

    private ServerCertificate(Path certFile, Path keyFile, Duration reloadPeriod) throws IOException, GeneralSecurityException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        load(Files.readAllBytes(certFile), Files.readAllBytes(keyFile));
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("broker-cert-reload").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::reloadIfChanged, reloadPeriod.toMillis(), reloadPeriod.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Loads the files now; throws {@link IllegalStateException} naming them if they cannot be used. */
    public static ServerCertificate open(Path certFile, Path keyFile, Duration reloadPeriod) {
        try {
            return new ServerCertificate(certFile, keyFile, reloadPeriod);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot load TLS certificate " + certFile + " with key " + keyFile
                    + " (PEM certificate chain and unencrypted PEM key expected): " + e.getMessage(), e);
        }
    }

    private void load(byte[] cert, byte[] key) throws IOException, GeneralSecurityException {
        X509Certificate[] chain = CertificateUtils.getX509Certificates(new ByteArrayInputStream(cert));
        if (chain.length == 0) {
            throw new GeneralSecurityException("no certificate in " + certFile);
        }
        PrivateKey privateKey = PemPrivateKey.parse(key);
        keyManager.updateIdentityCredentials(chain, privateKey);
        loadedCert = cert;
        loadedKey = key;
        log.info("TLS certificate {} loaded: subject {}, {} in chain, valid until {}", certFile,
                chain[0].getSubjectX500Principal().getName(), chain.length, chain[0].getNotAfter().toInstant());
    }

    private void reloadIfChanged() {
        try {
            byte[] cert = Files.readAllBytes(certFile);
            byte[] key = Files.readAllBytes(keyFile);
            if (!Arrays.equals(cert, loadedCert) || !Arrays.equals(key, loadedKey)) {
                load(cert, key);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("cannot reload TLS certificate {} with key {}; keeping the previous one: {}", certFile, keyFile,
                    e.toString());
        }
    }

    public ServerCredentials credentials() {
        return TlsServerCredentials.newBuilder().keyManager(keyManager).build();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
