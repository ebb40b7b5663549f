package dev.jneon.common.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a service's gRPC endpoints on one Netty listener, calls on virtual threads. Stops gracefully:
 * no new calls, calls in flight get {@link GrpcServerProperties#shutdownGrace()}, then are cancelled.
 * Plaintext unless built with other {@link ServerCredentials} (e.g. TLS).
 * Thread-safe: start and stop are called by the Spring lifecycle, one at a time.
 */
public final class GrpcServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    private final GrpcServerProperties properties;
    private final List<BindableService> services;
    private final ServerCredentials credentials;
    private final List<GrpcServerCustomizer> customizers;
    private volatile Server server;

    public GrpcServer(GrpcServerProperties properties, List<BindableService> services) {
        this(properties, services, InsecureServerCredentials.create());
    }

    public GrpcServer(GrpcServerProperties properties, List<BindableService> services, ServerCredentials credentials) {
        this(properties, services, credentials, List.of());
    }

    public GrpcServer(GrpcServerProperties properties, List<BindableService> services, ServerCredentials credentials,
            List<GrpcServerCustomizer> customizers) {
        this.properties = properties;
        this.services = List.copyOf(services);
        this.credentials = credentials;
        this.customizers = List.copyOf(customizers);
    }

    @Override
    public void start() {
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress(properties.address(), properties.port()), credentials)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .maxInboundMessageSize(properties.maxInboundMessageSize())
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        services.forEach(builder::addService);
        customizers.forEach(c -> c.customize(builder));
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for gRPC on " + properties.address() + ":" + properties.port(), e);
        }
        log.info("gRPC listening on {}:{} with {} services", properties.address(), port(), services.size());
    }

    /** The bound port, known once started. */
    public int port() {
        Server s = server;
        return s == null ? -1 : s.getPort();
    }

    @Override
    public void stop() {
        Server s = server;
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            if (!s.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("gRPC calls still running after {}; cancelling them", properties.shutdownGrace());
                s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
