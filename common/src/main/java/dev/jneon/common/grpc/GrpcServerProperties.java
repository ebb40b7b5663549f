package dev.jneon.common.grpc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gRPC listener of a service. A service without gRPC services never opens it.
 *
 * @param address address to bind; loopback by default
 * @param port port to listen on; 0 picks a free port
 * @param shutdownGrace how long calls in flight may run after SIGTERM before they are cancelled
 * @param maxInboundMessageSize largest accepted message in bytes
 */
@ConfigurationProperties("jneon.grpc")
public record GrpcServerProperties(String address, Integer port, Duration shutdownGrace, Integer maxInboundMessageSize) {

    public GrpcServerProperties {
        address = address != null ? address : "127.0.0.1";
        shutdownGrace = shutdownGrace != null ? shutdownGrace : Duration.ofSeconds(10);
        maxInboundMessageSize = maxInboundMessageSize != null ? maxInboundMessageSize : 4 * 1024 * 1024;
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("jneon.grpc.port must be in 0..65535, got " + port);
        }
    }
}
