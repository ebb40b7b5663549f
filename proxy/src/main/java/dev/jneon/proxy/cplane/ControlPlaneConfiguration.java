package dev.jneon.proxy.cplane;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the {@link CachingControlPlane} when {@code jneon.proxy.auth-endpoint} is set: {@code cplane-v1} (default)
 * talks HTTP to that base URL, {@code postgres} reads secrets from that Postgres URL.
 */
@Configuration
@EnableConfigurationProperties(ControlPlaneProperties.class)
@ConditionalOnProperty("jneon.proxy.auth-endpoint")
public class ControlPlaneConfiguration {

    @Bean
    ControlPlane controlPlane(@Value("${jneon.proxy.auth-backend:cplane-v1}") String backend,
            @Value("${jneon.proxy.auth-endpoint}") String endpoint, ControlPlaneProperties props,
            MeterRegistry registry) {
        ControlPlane inner = switch (backend) {
            case "cplane-v1" -> new HttpControlPlane(endpoint, Optional.of(props.token()));
            case "postgres" -> new PostgresControlPlane(PostgresUrl.parse(endpoint));
            default -> throw new IllegalArgumentException("unknown jneon.proxy.auth-backend " + backend);
        };
        return new TimedControlPlane(inner, registry);
    }

    @Bean
    CachingControlPlane cachingControlPlane(ControlPlane backend, ControlPlaneProperties props,
            MeterRegistry registry) {
        Ticker ticker = Ticker.systemTicker();
        var nodes = new NodeInfoCache(props.nodeCache().size(), props.nodeCache().idleTtl(), ticker, registry);
        var projects = new ProjectInfoCache(props.projectCache().size(), props.projectCache().ttl(),
                props.projectCache().maxRoles(), ticker, registry);
        var limiter = new WakeRateLimiter(WakeRateLimiter.parseList(props.wakeLimit()), ticker);
        return new CachingControlPlane(backend, nodes, projects, limiter, props.wakeRetry().policy(),
                RetryPolicy.Sleeper.REAL);
    }
}
