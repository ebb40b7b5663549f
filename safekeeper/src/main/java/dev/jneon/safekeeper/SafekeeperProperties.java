package dev.jneon.safekeeper;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Safekeeper settings ({@code jneon.safekeeper.*}).
 *
 * @param dataDir directory holding {@code <tenant_id>/<timeline_id>/} of every timeline; created if
 *     missing; default {@code ./safekeeper-data}
 * @param advertiseHost host name peers, pageservers and the broker's readers use to reach this node;
 *     default 127.0.0.1
 * @param broker where per-timeline state is published
 * @param authPublicKey PEM file of the Ed25519 public key that verifies JWTs on the HTTP API and
 *     gRPC; unset = no authentication
 */
@ConfigurationProperties("jneon.safekeeper")
public record SafekeeperProperties(Path dataDir, String advertiseHost, Broker broker, Path authPublicKey) {

    public SafekeeperProperties {
        dataDir = dataDir != null ? dataDir : Path.of("safekeeper-data");
        advertiseHost = advertiseHost != null ? advertiseHost : "127.0.0.1";
        broker = broker != null ? broker : new Broker(null, null);
    }

    /**
     * @param endpoint the storage broker's gRPC address {@code host:port}; unset = do not publish
     * @param publishInterval how often each active timeline's state is pushed; default 1 s
     */
    public record Broker(String endpoint, Duration publishInterval) {

        public Broker {
            publishInterval = publishInterval != null ? publishInterval : Duration.ofSeconds(1);
            if (publishInterval.isNegative() || publishInterval.isZero()) {
                throw new IllegalArgumentException("jneon.safekeeper.broker.publish-interval must be positive");
            }
            if (endpoint != null && !endpoint.matches("[^:/]+:\\d{1,5}")) {
                throw new IllegalArgumentException("jneon.safekeeper.broker.endpoint must be host:port, got " + endpoint);
            }
        }
    }
}
