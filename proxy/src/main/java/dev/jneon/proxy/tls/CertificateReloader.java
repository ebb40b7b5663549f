package dev.jneon.proxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the served certificates from disk and reloads them when a file changes (B.3 [jneon]):
 * the default pair ({@code -c/-k}: {@code jneon.proxy.tls-cert}/{@code tls-key}) first, then
 * {@code <certs-dir>/*}{@code /tls.crt} + {@code tls.key} in directory-name order. Every
 * {@code interval} a virtual thread compares the files' sizes and modification times with the last
 * load and, on a difference, builds a new {@link TlsContext} and swaps it in; a failed reload keeps
 * the old context and logs why. Thread-safe: {@link #current()} reads an atomic reference.
 */
public final class CertificateReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    private final Path cert;
    private final Path key;
    private final Path certsDir;
    private final AtomicReference<TlsContext> current = new AtomicReference<>();
    private volatile List<String> loadedStamp;
    private final Thread watcher;

    /** Loads now (failing if the files are bad) and starts watching. {@code certsDir} may be null. */
    public CertificateReloader(Path cert, Path key, Path certsDir, Duration interval)
            throws IOException, GeneralSecurityException {
        this.cert = cert;
        this.key = key;
        this.certsDir = certsDir;
        List<String> stamp = stamp();
        current.set(load());
        loadedStamp = stamp;
        watcher = Thread.ofVirtual().name("tls-reload").start(() -> watch(interval));
    }

    public TlsContext current() {
        return current.get();
    }

    /** Reloads now if a file changed; true if a new context was installed. */
    public boolean reloadIfChanged() {
        try {
            List<String> stamp = stamp();
            if (stamp.equals(loadedStamp)) {
                return false;
            }
            TlsContext next = load();
            current.set(next);
            loadedStamp = stamp;
            log.info("reloaded TLS certificates for {}", next.certificates().domains());
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("TLS certificates changed on disk but could not be loaded; keeping the previous ones: {}",
                    e.toString());
            return false;
        }
    }

    private void watch(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            reloadIfChanged();
        }
    }

    private List<Path[]> pairs() throws IOException {
        List<Path[]> pairs = new ArrayList<>();
        pairs.add(new Path[] {cert, key});
        if (certsDir != null && Files.isDirectory(certsDir)) {
            try (Stream<Path> dirs = Files.list(certsDir)) {
                dirs.filter(Files::isDirectory).sorted().forEach(d -> {
                    if (Files.exists(d.resolve("tls.crt")) && Files.exists(d.resolve("tls.key"))) {
                        pairs.add(new Path[] {d.resolve("tls.crt"), d.resolve("tls.key")});
                    }
                });
            }
        }
        return pairs;
    }

    private TlsContext load() throws IOException, GeneralSecurityException {
        List<ServedCertificate> certificates = new ArrayList<>();
        for (Path[] pair : pairs()) {
            certificates.add(ServedCertificate.load(pair[0], pair[1]));
        }
        return new TlsContext(new CertificateSet(certificates));
    }

    private List<String> stamp() throws IOException {
        List<String> stamp = new ArrayList<>();
        for (Path[] pair : pairs()) {
            for (Path p : pair) {
                stamp.add(p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return stamp;
    }

    @Override
    public void close() {
        watcher.interrupt();
    }
}
