package dev.jneon.safekeeper;

import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.service.NodeProperties;
import dev.jneon.safekeeper.auth.JwtVerifier;
import dev.jneon.safekeeper.grpc.BrokerPublisher;
import dev.jneon.safekeeper.http.AuthFilter;
import dev.jneon.safekeeper.timeline.Timelines;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** Wires the safekeeper: its timelines (loaded from the data directory), JWT checks and the broker publisher. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SafekeeperProperties.class)
class SafekeeperConfiguration {

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
                properties.broker().publishInterval());
    }
}
