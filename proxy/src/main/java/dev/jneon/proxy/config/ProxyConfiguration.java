package dev.jneon.proxy.config;

import dev.jneon.proxy.cancel.CancelForwarder;
import dev.jneon.proxy.cancel.CancelMap;
import dev.jneon.proxy.compute.ComputeConnector;
import dev.jneon.proxy.cplane.CachingControlPlane;
import dev.jneon.proxy.cplane.RetryPolicy;
import dev.jneon.proxy.frontend.ClientListener;
import dev.jneon.proxy.frontend.ClientSession;
import dev.jneon.proxy.frontend.PgFrontend;
import dev.jneon.proxy.metrics.ProxyMetrics;
import dev.jneon.proxy.ratelimit.LeakyBucketLimiter;
import dev.jneon.proxy.tls.CertificateReloader;
import dev.jneon.proxy.tls.TlsContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Postgres-wire front end: certificates (when {@code jneon.proxy.tls.cert} is set,
 * reloaded on file change and on SIGHUP), cancel map, rate limiters, compute connector, sessions
 * and the listener on {@code jneon.proxy.pg-port}. Everything but the metrics needs a control
 * plane, so it exists only when {@code jneon.proxy.auth-endpoint} is set.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProxyProperties.class)
public class ProxyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProxyConfiguration.class);

    @Bean
    ProxyMetrics proxyMetrics(MeterRegistry registry) {
        return new ProxyMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("jneon.proxy.tls.cert")
    CertificateReloader certificateReloader(ProxyProperties properties) throws IOException, GeneralSecurityException {
        ProxyProperties.Tls tls = properties.tls();
        var reloader = new CertificateReloader(tls.cert(), tls.key(), tls.certsDir(), tls.reloadInterval());
        log.info("TLS on for {}; files checked every {}", reloader.current().certificates().domains(),
                tls.reloadInterval());
        SignalHandlers.onHangup(reloader::reloadIfChanged);
        return reloader;
    }

    @Bean
    @ConditionalOnProperty("jneon.proxy.auth-endpoint")
    ClientSession clientSession(ProxyProperties properties, CachingControlPlane controlPlane, ProxyMetrics metrics) {
        ProxyProperties.Limits limits = properties.limits();
        var connector = new ComputeConnector(controlPlane, properties.connectTimeout(), RetryPolicy.CONNECT,
                RetryPolicy.Sleeper.REAL, metrics);
        return new ClientSession(controlPlane, connector, new CancelMap(),
                new CancelForwarder(properties.connectTimeout()),
                new LeakyBucketLimiter<>(limits.endpointRps(), limits.endpointBurst()),
                new LeakyBucketLimiter<>(limits.cancelRps(), limits.cancelBurst()), metrics);
    }

    @Bean
    @ConditionalOnProperty("jneon.proxy.auth-endpoint")
    ClientListener pgListener(ProxyProperties properties, ClientSession sessions, ProxyMetrics metrics,
            ObjectProvider<CertificateReloader> certificates) {
        CertificateReloader reloader = certificates.getIfAvailable();
        Supplier<TlsContext> tls = reloader == null ? () -> null : reloader::current;
        var frontend = new PgFrontend(tls, sessions, properties.handshakeTimeout(), metrics);
        return new ClientListener("pg", properties.listenAddress(), properties.pgPort(), properties.drainTimeout(),
                frontend, metrics::terminating);
    }
}
