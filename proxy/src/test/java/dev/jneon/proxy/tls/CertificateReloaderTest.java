package dev.jneon.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes against certificates written by openssl: selection by SNI and reload on change. */
class CertificateReloaderTest {

    @TempDir
    Path dir;

    @Test
    void picksTheCertificateOfTheServerNameAndReloadsChangedFiles() throws Exception {
        TestCertificates.write(dir.resolve("default"), "*.local.jneon.dev");
        TestCertificates.write(dir.resolve("certs/other"), "*.other.test");
        try (var reloader = new CertificateReloader(dir.resolve("default/tls.crt"), dir.resolve("default/tls.key"),
                dir.resolve("certs"), Duration.ofHours(1))) {
            assertThat(reloader.current().certificates().domains())
                    .containsExactlyInAnyOrder("local.jneon.dev", "other.test");
            assertThat(handshake(reloader.current(), "ep-1.other.test")).isEqualTo("CN=*.other.test");
            assertThat(handshake(reloader.current(), "ep-1.local.jneon.dev")).isEqualTo("CN=*.local.jneon.dev");
            assertThat(handshake(reloader.current(), null)).isEqualTo("CN=*.local.jneon.dev");

            assertThat(reloader.reloadIfChanged()).isFalse();
            TestCertificates.write(dir.resolve("certs/other"), "*.renamed.test");
            Files.setLastModifiedTime(dir.resolve("certs/other/tls.crt"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            assertThat(reloader.reloadIfChanged()).isTrue();
            assertThat(handshake(reloader.current(), "ep-1.renamed.test")).isEqualTo("CN=*.renamed.test");

            Files.writeString(dir.resolve("certs/other/tls.key"), "garbage");
            assertThat(reloader.reloadIfChanged()).isFalse();
            assertThat(handshake(reloader.current(), "ep-1.renamed.test")).isEqualTo("CN=*.renamed.test");
        }
    }

    /** The subject of the certificate the server presents to a client sending {@code sni}. */
    private static String handshake(TlsContext tls, String sni) throws Exception {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = Thread.ofVirtual().start(() -> {
                try (var s = server.accept(); var ssl = tls.accept(s, null)) {
                    ssl.getInputStream().read();
                } catch (Exception ignored) {
                    // the client ends the connection after reading the certificate
                }
            });
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {new TrustAll()}, null);
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
                if (sni != null) {
                    var params = socket.getSSLParameters();
                    params.setServerNames(java.util.List.of(new SNIHostName(sni)));
                    socket.setSSLParameters(params);
                }
                socket.startHandshake();
                var leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                return leaf.getSubjectX500Principal().getName();
            } finally {
                accept.join();
            }
        }
    }

    private static final class TrustAll implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
