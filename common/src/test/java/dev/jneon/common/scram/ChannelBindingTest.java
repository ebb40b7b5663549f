package dev.jneon.common.scram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tls-server-end-point} hashes real self-signed certificates made by the JDK's keytool. */
class ChannelBindingTest {

    @Test
    void hashesTheCertificateWithItsSignatureDigest() throws Exception {
        X509Certificate ec256 = certificate("EC", "SHA256withECDSA");
        assertThat(ChannelBinding.forCertificate(ec256)).isEqualTo(new ChannelBinding.TlsServerEndPoint(
                MessageDigest.getInstance("SHA-256").digest(ec256.getEncoded())));
        X509Certificate rsa384 = certificate("RSA", "SHA384withRSA");
        assertThat(ChannelBinding.forCertificate(rsa384)).isEqualTo(new ChannelBinding.TlsServerEndPoint(
                MessageDigest.getInstance("SHA-384").digest(rsa384.getEncoded())));
        assertThat(ChannelBinding.forCertificate(certificate("Ed25519", "Ed25519")))
                .isInstanceOf(ChannelBinding.None.class);
    }

    static X509Certificate certificate(String keyAlg, String sigAlg) throws Exception {
        Path dir = Files.createTempDirectory("jneon-cb");
        Path store = dir.resolve("ks.p12");
        try {
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                    "-alias", "k", "-keyalg", keyAlg, "-sigalg", sigAlg, "-dname", "CN=*.local.jneon.dev",
                    "-validity", "2")).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, "changeit".toCharArray());
            }
            return (X509Certificate) ks.getCertificate("k");
        } finally {
            Files.deleteIfExists(store);
            Files.delete(dir);
        }
    }
}
