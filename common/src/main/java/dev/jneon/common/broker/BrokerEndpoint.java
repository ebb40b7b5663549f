package dev.jneon.common.broker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how a service reaches the storage broker. {@code http://host:port} is plaintext gRPC;
 * {@code https://host:port} is gRPC over TLS, trusting the PEM certificates in {@code caFiles} (so
 * a locally issued CA works) or, when none are given, the JVM's default trust store. No client
 * certificate is sent: the broker does not authenticate clients. Immutable.
 *
 * @param uri {@code http://host:port} or {@code https://host:port}
 * @param caFiles PEM files of certificate authorities to trust for https; may be empty
 * @param connectTimeout how long establishing a connection may take
 * @param keepAlive interval of HTTP/2 keepalive pings, also sent while no call is open
 */
public record BrokerEndpoint(URI uri, List<Path> caFiles, Duration connectTimeout, Duration keepAlive) {

    /** Neon's client defaults: 5 s connect timeout, 5 s keepalive. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public BrokerEndpoint {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("broker endpoint must be http:// or https://, got " + uri);
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("broker endpoint needs a host and a port, got " + uri);
        }
        caFiles = List.copyOf(caFiles);
        if (!caFiles.isEmpty() && !"https".equals(scheme)) {
            throw new IllegalArgumentException("CA files are only used with an https:// broker endpoint, got " + uri);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("broker connect timeout and keepalive must be positive");
        }
    }

    /** An endpoint with the default timeouts. */
    public static BrokerEndpoint of(String uri, List<Path> caFiles) {
        return new BrokerEndpoint(URI.create(uri), caFiles, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
    }

    public boolean tls() {
        return "https".equals(uri.getScheme());
    }
}
