package dev.jneon.proxy.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The proxy's settings ({@code jneon.proxy.*}); status and metrics are on {@code server.port}.
 * Validated at start-up. Immutable.
 *
 * @param listenAddress    address of the Postgres and WebSocket listeners; default 127.0.0.1
 * @param pgPort           Postgres-wire port (Neon's {@code --proxy}); default 4432, 0 = any free port
 * @param wsPort           WebSocket tunnel port (Neon's {@code --wss}); default 4444, 0 = any, -1 = off
 * @param authBackend      {@code cplane-v1} (the control plane's HTTP API) or {@code postgres} (tests:
 *                         secrets from a Postgres' pg_authid, that Postgres is the compute)
 * @param authEndpoint     control-plane base URL ({@code http://host:port/proxy/v1}) or, for
 *                         {@code postgres}, a {@code postgresql://user:pw@host:port/db} URL
 * @param tls              certificates; without them clients get {@code N} to SSLRequest
 * @param handshakeTimeout time a client has from connecting to finishing authentication; default 15 s
 * @param drainTimeout     on SIGTERM, how long open sessions may run on; default 30 s
 * @param connectTimeout   TCP connect timeout to a compute; default 2 s
 * @param limits           rate limits (B.12)
 */
@ConfigurationProperties("jneon.proxy")
public record ProxyProperties(String listenAddress, Integer pgPort, Integer wsPort, String authBackend,
        String authEndpoint, Tls tls, Duration handshakeTimeout, Duration drainTimeout, Duration connectTimeout,
        Limits limits) {

    /**
     * @param cert           default certificate chain, PEM (Neon's {@code -c})
     * @param key            its PKCS#8 PEM private key (Neon's {@code -k})
     * @param certsDir       more pairs: {@code <dir>/<name>/tls.crt} and {@code tls.key}
     * @param reloadInterval how often the files are checked for changes; default 60 s
     */
    public record Tls(Path cert, Path key, Path certsDir, Duration reloadInterval) {

        public Tls {
            reloadInterval = reloadInterval != null ? reloadInterval : Duration.ofSeconds(60);
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("jneon.proxy.tls.cert and jneon.proxy.tls.key go together");
            }
            if (certsDir != null && cert == null) {
                throw new IllegalArgumentException("jneon.proxy.tls.certs-dir needs a default pair in"
                        + " jneon.proxy.tls.cert/key");
            }
        }

        public boolean enabled() {
            return cert != null;
        }
    }

    /**
     * @param endpointRps   connection attempts per endpoint and second, sustained; default 200
     * @param endpointBurst connection attempts per endpoint allowed at once; default 500
     * @param cancelRps     cancel requests per client subnet (/24, /64) and second; default 600
     * @param cancelBurst   cancel requests per subnet at once; default 1500
     */
    public record Limits(Double endpointRps, Double endpointBurst, Double cancelRps, Double cancelBurst) {

        public Limits {
            endpointRps = positive(endpointRps, 200, "endpoint-rps");
            endpointBurst = positive(endpointBurst, 500, "endpoint-burst");
            cancelRps = positive(cancelRps, 600, "cancel-rps");
            cancelBurst = positive(cancelBurst, 1500, "cancel-burst");
        }

        private static double positive(Double value, double fallback, String name) {
            if (value == null) {
                return fallback;
            }
            if (!(value > 0)) {
                throw new IllegalArgumentException("jneon.proxy.limits." + name + " must be positive, got " + value);
            }
            return value;
        }
    }

    public ProxyProperties {
        listenAddress = listenAddress != null ? listenAddress : "127.0.0.1";
        pgPort = port(pgPort, 4432, "pg-port", 0);
        wsPort = port(wsPort, 4444, "ws-port", -1);
        authBackend = authBackend != null ? authBackend : "cplane-v1";
        if (!authBackend.equals("cplane-v1") && !authBackend.equals("postgres")) {
            throw new IllegalArgumentException("jneon.proxy.auth-backend must be cplane-v1 or postgres, got "
                    + authBackend);
        }
        tls = tls != null ? tls : new Tls(null, null, null, null);
        handshakeTimeout = handshakeTimeout != null ? handshakeTimeout : Duration.ofSeconds(15);
        drainTimeout = drainTimeout != null ? drainTimeout : Duration.ofSeconds(30);
        connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(2);
        limits = limits != null ? limits : new Limits(null, null, null, null);
    }

    private static int port(Integer value, int fallback, String name, int lowest) {
        int port = value != null ? value : fallback;
        if (port < lowest || port > 65535) {
            throw new IllegalArgumentException("jneon.proxy." + name + " must be " + lowest + "..65535, got " + port);
        }
        return port;
    }
}
