package dev.jneon.common.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Opens the gRPC listener when the service defines gRPC endpoints and a {@code jneon.grpc.port}. */
@AutoConfiguration
@EnableConfigurationProperties(GrpcServerProperties.class)
public class GrpcServerAutoConfiguration {

    @Bean
    @ConditionalOnBean(BindableService.class)
    @ConditionalOnProperty("jneon.grpc.port")
    GrpcServer grpcServer(GrpcServerProperties properties, List<BindableService> services,
            ObjectProvider<GrpcServerCustomizer> customizers) {
        return new GrpcServer(properties, services, InsecureServerCredentials.create(), customizers.orderedStream().toList());
    }
}
