package dev.jneon.broker.config;

import dev.jneon.broker.grpc.BrokerGrpcService;
import dev.jneon.broker.pubsub.BrokerMetrics;
import dev.jneon.broker.pubsub.PubSub;
import dev.jneon.broker.server.BrokerListeners;
import dev.jneon.common.grpc.GrpcServerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;

/**
 * Wires the broker: fan-out core, gRPC service and its listeners. The listeners replace common's
 * auto-configured gRPC server (excluded in {@code StorageBrokerApplication}) because the broker may
 * run TLS only, TLS and plaintext, or plaintext only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BrokerProperties.class, GrpcServerProperties.class})
public class BrokerConfiguration {

    /** The clock of latest-state expiry; tests may register their own {@link InstantSource} first. */
    @Bean
    @ConditionalOnMissingBean(InstantSource.class)
    InstantSource brokerClock() {
        return InstantSource.system();
    }

    @Bean
    BrokerMetrics brokerMetrics(MeterRegistry registry) {
        return new BrokerMetrics(registry);
    }

    @Bean
    PubSub pubSub(BrokerProperties properties, InstantSource clock, BrokerMetrics metrics) {
        return new PubSub(properties.allChannelCapacity(), properties.timelineChannelCapacity(),
                properties.latestStateTtl(), clock, metrics);
    }

    @Bean
    BrokerGrpcService brokerGrpcService(PubSub pubSub) {
        return new BrokerGrpcService(pubSub);
    }

    @Bean
    BrokerListeners brokerListeners(GrpcServerProperties grpc, BrokerProperties properties, BrokerGrpcService service,
            PubSub pubSub) {
        return new BrokerListeners(grpc, properties, service, pubSub);
    }

    @Bean
    @ConfigurationPropertiesBinding
    static ListenAddressConverter listenAddressConverter() {
        return new ListenAddressConverter();
    }

    /** Binds {@code host:port} text to {@link ListenAddress}. Stateless. */
    static final class ListenAddressConverter implements Converter<String, ListenAddress> {
        @Override
        public ListenAddress convert(String source) {
            return ListenAddress.parse(source);
        }
    }
}
