package dev.jneon.broker;

import dev.jneon.common.grpc.GrpcServerAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the storage-broker service: publish/subscribe of per-timeline safekeeper state.
 * Its gRPC listeners (plaintext and/or TLS) are its own ({@code BrokerListeners}), so common's
 * single-listener gRPC auto-configuration is excluded.
 */
@SpringBootApplication(exclude = GrpcServerAutoConfiguration.class)
public class StorageBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(StorageBrokerApplication.class, args);
    }
}
