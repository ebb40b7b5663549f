package dev.jneon.proxy.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Self-signed test certificates made with the real openssl binary: RSA 2048, SHA-256, PKCS#8 key. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** Writes {@code <dir>/tls.crt} and {@code <dir>/tls.key} for subject CN {@code commonName}. */
    public static void write(Path dir, String commonName) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        dev.jneon.common.pg.server.PgCluster.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048",
                "-sha256", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
                "-addext", "subjectAltName=DNS:" + commonName,
                "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.crt").toString()),
                Duration.ofSeconds(60));
    }
}
