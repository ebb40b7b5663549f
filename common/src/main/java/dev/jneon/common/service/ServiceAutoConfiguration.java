package dev.jneon.common.service;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Plumbing every jneon service shares: its identity and {@code /v1/status}. Prometheus metrics are
 * served by the actuator at {@code /metrics} (see each service's {@code application.yaml}).
 */
@AutoConfiguration
@EnableConfigurationProperties(NodeProperties.class)
public class ServiceAutoConfiguration {

    @Bean
    ServiceStatus serviceStatus(NodeProperties node, Environment env) {
        String service = node.service() != null ? node.service() : env.getProperty("spring.application.name", "jneon");
        String version = ServiceAutoConfiguration.class.getPackage().getImplementationVersion();
        return new ServiceStatus(node.id(), service, version != null ? version : "dev");
    }

    @Bean
    StatusController statusController(ServiceStatus status) {
        return new StatusController(status);
    }

    @Bean
    ApiErrorHandler apiErrorHandler() {
        return new ApiErrorHandler();
    }
}
