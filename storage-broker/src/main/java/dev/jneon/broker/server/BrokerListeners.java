package dev.jneon.broker.server;

import dev.jneon.broker.config.BrokerProperties;
import dev.jneon.broker.config.ListenAddress;
import dev.jneon.broker.grpc.BrokerGrpcService;
import dev.jneon.broker.pubsub.PubSub;
import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.grpc.GrpcServerProperties;
import io.grpc.BindableService;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The broker's gRPC listeners: plaintext on {@code jneon.grpc.port} when set, TLS on
 * {@code jneon.broker.listen-https-addr} when set (at least one is required; checked when the
 * application starts). Stopping first ends every subscription and publishing stream, so the
 * listeners' graceful shutdown does not wait for streams that never end by themselves.
 * Thread-safe: started and stopped by the Spring lifecycle, one call at a time.
 */
public final class BrokerListeners implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BrokerListeners.class);

    private final GrpcServerProperties plainProperties;
    private final BrokerProperties broker;
    private final BrokerGrpcService service;
    private final PubSub pubSub;
    private volatile GrpcServer plain;
    private volatile GrpcServer tls;
    private volatile ServerCertificate certificate;

    public BrokerListeners(GrpcServerProperties plainProperties, BrokerProperties broker, BrokerGrpcService service,
            PubSub pubSub) {
        if (plainProperties.port() == null && broker.listenHttpsAddr() == null) {
            throw new IllegalStateException("the storage broker needs a listener: set jneon.grpc.port (plaintext gRPC)"
                    + " and/or jneon.broker.listen-https-addr (gRPC over TLS)");
        }
        this.plainProperties = plainProperties;
        this.broker = broker;
        this.service = service;
        this.pubSub = pubSub;
    }

    @Override
    public void start() {
        List<BindableService> services = List.of(service);
        try {
            if (plainProperties.port() != null) {
                plain = new GrpcServer(plainProperties, services);
                plain.start();
            }
            ListenAddress https = broker.listenHttpsAddr();
            if (https != null) {
                certificate = ServerCertificate.open(broker.sslCertFile(), broker.sslKeyFile(), broker.sslCertReloadPeriod());
                var tlsProperties = new GrpcServerProperties(https.host(), https.port(),
                        plainProperties.shutdownGrace(), plainProperties.maxInboundMessageSize());
                tls = new GrpcServer(tlsProperties, services, certificate.credentials());
                tls.start();
                log.info("gRPC over TLS on {}:{}, certificate {} re-read every {}", https.host(), tls.port(),
                        broker.sslCertFile(), broker.sslCertReloadPeriod());
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public void stop() {
        pubSub.close();
        if (plain != null) {
            plain.stop();
            plain = null;
        }
        if (tls != null) {
            tls.stop();
            tls = null;
        }
        if (certificate != null) {
            certificate.close();
            certificate = null;
        }
    }

    @Override
    public boolean isRunning() {
        return plain != null || tls != null;
    }

    /** Port of the plaintext listener, -1 if there is none. */
    public int plainPort() {
        GrpcServer s = plain;
        return s == null ? -1 : s.port();
    }

    /** Port of the TLS listener, -1 if there is none. */
    public int httpsPort() {
        GrpcServer s = tls;
        return s == null ? -1 : s.port();
    }
}
