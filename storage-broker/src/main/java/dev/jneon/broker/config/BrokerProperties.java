package dev.jneon.broker.config;

import dev.jneon.broker.pubsub.PubSub;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The storage broker's settings under {@code jneon.broker}. The plaintext gRPC listener is common's
 * {@code jneon.grpc.*}; at least one of it and {@code listen-https-addr} must be set. Immutable.
 *
 * @param listenHttpsAddr host:port of the gRPC-over-TLS listener; unset: no TLS listener
 * @param sslKeyFile unencrypted PEM private key of the TLS listener: PKCS#8, PKCS#1 (RSA) or SEC1 (EC)
 * @param sslCertFile PEM certificate of the TLS listener, optionally followed by its chain
 * @param sslCertReloadPeriod how often key and certificate files are checked and re-read if changed
 * @param latestStateTtl how long a safekeeper's latest timeline info is kept for new subscribers
 *     after it last published one
 * @param allChannelCapacity queue size of each all-timelines subscriber
 * @param timelineChannelCapacity queue size of each one-timeline subscriber
 */
@ConfigurationProperties("jneon.broker")
public record BrokerProperties(
        ListenAddress listenHttpsAddr,
        Path sslKeyFile,
        Path sslCertFile,
        Duration sslCertReloadPeriod,
        Duration latestStateTtl,
        Integer allChannelCapacity,
        Integer timelineChannelCapacity) {

    public BrokerProperties {
        sslKeyFile = sslKeyFile != null ? sslKeyFile : Path.of("server.key");
        sslCertFile = sslCertFile != null ? sslCertFile : Path.of("server.crt");
        sslCertReloadPeriod = sslCertReloadPeriod != null ? sslCertReloadPeriod : Duration.ofSeconds(60);
        latestStateTtl = latestStateTtl != null ? latestStateTtl : PubSub.DEFAULT_LATEST_TTL;
        allChannelCapacity = allChannelCapacity != null ? allChannelCapacity : PubSub.DEFAULT_ALL_CAPACITY;
        timelineChannelCapacity = timelineChannelCapacity != null ? timelineChannelCapacity : PubSub.DEFAULT_TIMELINE_CAPACITY;
        positive(sslCertReloadPeriod, "ssl-cert-reload-period");
        positive(latestStateTtl, "latest-state-ttl");
        if (allChannelCapacity < 1 || timelineChannelCapacity < 1) {
            throw new IllegalArgumentException("jneon.broker channel capacities must be positive, got "
                    + allChannelCapacity + " and " + timelineChannelCapacity);
        }
    }

    private static void positive(Duration d, String key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("jneon.broker." + key + " must be positive, got " + d);
        }
    }
}
