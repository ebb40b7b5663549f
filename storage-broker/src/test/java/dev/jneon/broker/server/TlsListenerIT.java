package dev.jneon.broker.server;

import static dev.jneon.broker.TestInfos.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jneon.broker.BrokerApp;
import dev.jneon.broker.Received;
import dev.jneon.common.broker.Backoff;
import dev.jneon.common.broker.BrokerEndpoint;
import dev.jneon.common.broker.BrokerUnavailableException;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.broker.grpc.BrokerClient;
import dev.jneon.common.id.TenantTimelineId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listener with certificates issued at test time: a client trusting only the root CA
 * connects through the served chain, and a replaced certificate is served to new connections
 * after the reload period, without a restart.
 */
class TlsListenerIT {

    @TempDir
    Path dir;

    @Test
    void servesTheChainAndPicksUpAReplacedCertificate() throws Exception {
        var root = TestCertificates.rootCa("jneon test root");
        var intermediate = TestCertificates.intermediateCa(root, "jneon test intermediate");
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Path ca = dir.resolve("ca.crt");
        TestCertificates.install(TestCertificates.server(intermediate, "broker-1"), intermediate, cert, key);
        TestCertificates.writeCertificate(root, ca);

        try (var app = BrokerApp.start("jneon.grpc.port=", "jneon.broker.listen-https-addr=127.0.0.1:0",
                "jneon.broker.ssl-cert-file=" + cert, "jneon.broker.ssl-key-file=" + key,
                "jneon.broker.ssl-cert-reload-period=1s")) {
            assertThat(app.grpcPort()).as("no plaintext listener").isEqualTo(-1);
            int port = app.httpsPort();
            X509Certificate[] served = servedChain(port, root);
            assertThat(served).hasSize(2);
            assertThat(served[0].getSubjectX500Principal().getName()).isEqualTo("CN=broker-1");

            publishAndReceiveOverTls(app, port, ca);
            try (var untrusting = BrokerClient.connect(BrokerEndpoint.of("https://localhost:" + port, List.of()))) {
                assertThatThrownBy(() -> untrusting.publishOne(info(TenantTimelineId.generate(), 1, 1)))
                        .as("the test CA is not in the JVM's default trust store")
                        .isInstanceOf(BrokerUnavailableException.class);
            }

            TestCertificates.install(TestCertificates.server(intermediate, "broker-2"), intermediate, cert, key);
            await().atMost(Duration.ofSeconds(Received.WAIT_SECONDS)).until(
                    () -> servedChain(port, root)[0].getSubjectX500Principal().getName().equals("CN=broker-2"));
            publishAndReceiveOverTls(app, port, ca);
        }
    }

    private static void publishAndReceiveOverTls(BrokerApp app, int port, Path ca) throws Exception {
        var ttid = TenantTimelineId.generate();
        var received = new LinkedBlockingQueue<SafekeeperTimelineInfo>();
        try (var client = BrokerClient.connect(BrokerEndpoint.of("https://localhost:" + port, List.of(ca)));
                var subscription = client.subscribeTimelineInfo(Optional.of(ttid), Backoff.fixed(Duration.ofMillis(100)),
                        received::add)) {
            client.publishOne(info(ttid, 7, 42));
            // A one-timeline subscriber gets the latest state on subscribing, so the order does not matter.
            SafekeeperTimelineInfo got = received.poll(Received.WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(got).isEqualTo(info(ttid, 7, 42));
        }
    }

    /** The certificate chain the listener serves, read with a plain TLS handshake trusting {@code root}. */
    private static X509Certificate[] servedChain(int port, TestCertificates.Issued root) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root.certificate());
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        try (var socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            var parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate[]) socket.getSession().getPeerCertificates();
        }
    }

    @Test
    void refusesToStartWithoutAnyListener() {
        assertThatThrownBy(() -> BrokerApp.start("jneon.grpc.port="))
                .rootCause().hasMessageContaining("needs a listener")
                .hasMessageContaining("jneon.broker.listen-https-addr");
    }

    @Test
    void refusesToStartWithUnusableCertificateFiles() throws Exception {
        Path cert = Files.writeString(dir.resolve("server.crt"), "not a certificate");
        Path key = Files.writeString(dir.resolve("server.key"), "not a key");
        assertThatThrownBy(() -> BrokerApp.start("jneon.broker.listen-https-addr=127.0.0.1:0",
                "jneon.broker.ssl-cert-file=" + cert, "jneon.broker.ssl-key-file=" + key))
                .hasStackTraceContaining("cannot load TLS certificate " + cert);
    }
}
