package dev.jneon.safekeeper;

import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.service.NodeProperties;
import dev.jneon.safekeeper.auth.JwtVerifier;
import dev.jneon.safekeeper.grpc.BrokerPublisher;
import dev.jneon.safekeeper.http.AuthFilter;
import dev.jneon.safekeeper.timeline.Timelines;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageConfig;
import dev.jneon.common.remote.RetryPolicy;
import dev.jneon.common.remote.RetryingRemoteStorage;
import dev.jneon.safekeeper.backup.RemoteWal;
import dev.jneon.safekeeper.backup.WalBackup;
import dev.jneon.safekeeper.peers.PeerSubscriber;
import dev.jneon.safekeeper.peers.Peers;
import dev.jneon.safekeeper.recovery.PullTimeline;
import dev.jneon.safekeeper.recovery.TimelineRecovery;
import dev.jneon.safekeeper.removal.WalRemoval;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Wires the safekeeper: its timelines (loaded from the data directory), JWT checks, the broker
 * publisher and subscriber, WAL offload (with remote storage), WAL removal, and recovery of timelines
 * from peers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SafekeeperProperties.class)
class SafekeeperConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SafekeeperConfiguration.class);

    /** True when one of the remote storage backends is configured. */
    static final String REMOTE_STORAGE_CONFIGURED = "'${jneon.safekeeper.remote-storage.local-path:}' != ''"
            + " or '${jneon.safekeeper.remote-storage.bucket-name:}' != ''"
            + " or '${jneon.safekeeper.remote-storage.container-name:}' != ''";

    @Bean(destroyMethod = "close")
    Timelines timelines(NodeProperties node, SafekeeperProperties properties) throws IOException {
        return new Timelines(NodeId.of(node.id()), properties.dataDir());
    }

    @Bean
    @ConditionalOnProperty("jneon.safekeeper.auth-public-key")
    JwtVerifier jwtVerifier(SafekeeperProperties properties) throws IOException {
        return JwtVerifier.fromPem(properties.authPublicKey());
    }

    @Bean
    @ConditionalOnProperty("jneon.safekeeper.auth-public-key")
    FilterRegistrationBean<AuthFilter> authFilter(JwtVerifier verifier) {
        var registration = new FilterRegistrationBean<>(new AuthFilter(verifier));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("jneon.safekeeper.broker.endpoint")
    BrokerPublisher brokerPublisher(Timelines timelines, NodeProperties node, SafekeeperProperties properties,
            ObjectProvider<GrpcServer> grpc, Environment env) {
        return new BrokerPublisher(timelines, node.id(), properties.broker().endpoint(), properties.advertiseHost(),
                () -> grpc.getObject().port(), () -> env.getProperty("local.server.port", Integer.class, -1),
                properties.broker().publishInterval(), properties.remoteStorage().toConfig().isPresent());
    }

    @Bean
    Peers peers() {
        return new Peers();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("jneon.safekeeper.broker.endpoint")
    PeerSubscriber peerSubscriber(Timelines timelines, Peers peers, NodeProperties node,
            SafekeeperProperties properties) {
        return new PeerSubscriber(properties.broker().endpoint(), NodeId.of(node.id()), timelines, peers);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(REMOTE_STORAGE_CONFIGURED)
    RemoteWal remoteWal(SafekeeperProperties properties) {
        RemoteStorageConfig config = properties.remoteStorage().toConfig().orElseThrow();
        log.info("offloading WAL to {}", config);
        return new RemoteWal(new RetryingRemoteStorage(RemoteStorage.open(config), RetryPolicy.DEFAULT,
                failure -> log.info("remote storage call failed, retrying: {}", failure.getMessage())));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(REMOTE_STORAGE_CONFIGURED)
    WalBackup walBackup(Timelines timelines, Peers peers, RemoteWal remote, NodeProperties node,
            SafekeeperProperties properties, MeterRegistry registry) {
        var backup = properties.backup();
        return new WalBackup(timelines, peers, remote, NodeId.of(node.id()), backup.interval(),
                backup.partialBackupTimeout(), backup.maxOffloaderLag().toBytes(), registry);
    }

    @Bean(destroyMethod = "close")
    WalRemoval walRemoval(Timelines timelines, SafekeeperProperties properties, MeterRegistry registry) {
        return new WalRemoval(timelines, properties.remoteStorage().toConfig().isPresent(),
                properties.backup().interval(), registry);
    }

    @Bean
    PullTimeline pullTimeline(Timelines timelines, NodeProperties node) {
        return new PullTimeline(timelines, NodeId.of(node.id()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${jneon.safekeeper.broker.endpoint:}' != '' and '${jneon.safekeeper.recovery.enabled:true}' == 'true'")
    TimelineRecovery timelineRecovery(Timelines timelines, Peers peers, PullTimeline pull, NodeProperties node,
            SafekeeperProperties properties) {
        return new TimelineRecovery(timelines, peers, pull, NodeId.of(node.id()), properties.recovery().interval());
    }
}
