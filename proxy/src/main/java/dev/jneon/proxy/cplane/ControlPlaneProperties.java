package dev.jneon.proxy.cplane;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Control-plane client settings ({@code jneon.proxy.control-plane.*}); the backend and its address are
 * {@code jneon.proxy.auth-backend} and {@code jneon.proxy.auth-endpoint}. Validated at start-up. Immutable.
 *
 * @param token        bearer token for {@code cplane-v1} calls; default env {@code NEON_PROXY_TO_CONTROLPLANE_TOKEN}
 * @param nodeCache    wake answers (Neon {@code --wake-compute-cache})
 * @param projectCache access-control answers (Neon {@code --project-info-cache})
 * @param wakeRetry    wake backoff (Neon {@code --wake-compute-retry})
 * @param wakeLimit    wake calls per endpoint, {@code R@W} windows (Neon {@code --wake-compute-limit});
 *                     default {@code 300@1s,200@60s,100@600s}
 */
@ConfigurationProperties("jneon.proxy.control-plane")
public record ControlPlaneProperties(String token, NodeCache nodeCache, ProjectCache projectCache,
        WakeRetry wakeRetry, String wakeLimit) {

    /**
     * @param size    most entries; default 4000
     * @param idleTtl an address is dropped after this long unused; default 4 min
     */
    public record NodeCache(Long size, Duration idleTtl) {
        public NodeCache {
            size = size != null ? size : 4000;
            idleTtl = idleTtl != null ? idleTtl : Duration.ofMinutes(4);
        }
    }

    /**
     * @param size     most endpoints; default 10000
     * @param ttl      an endpoint's answers live this long; default 4 min
     * @param maxRoles most role secrets kept per endpoint; default 10
     */
    public record ProjectCache(Long size, Duration ttl, Integer maxRoles) {
        public ProjectCache {
            size = size != null ? size : 10_000;
            ttl = ttl != null ? ttl : Duration.ofMinutes(4);
            maxRoles = maxRoles != null ? maxRoles : 10;
        }
    }

    /**
     * @param retries   retries after the first call; default 8
     * @param baseDelay first full delay; default 100 ms
     * @param factor    growth per retry; default 1.6
     */
    public record WakeRetry(Integer retries, Duration baseDelay, Double factor) {
        public WakeRetry {
            retries = retries != null ? retries : RetryPolicy.WAKE.maxRetries();
            baseDelay = baseDelay != null ? baseDelay : RetryPolicy.WAKE.base();
            factor = factor != null ? factor : RetryPolicy.WAKE.factor();
        }

        RetryPolicy policy() {
            return new RetryPolicy(retries, baseDelay, factor);
        }
    }

    public ControlPlaneProperties {
        if (token == null || token.isBlank()) {
            String env = System.getenv("NEON_PROXY_TO_CONTROLPLANE_TOKEN");
            token = env != null ? env : "";
        }
        nodeCache = nodeCache != null ? nodeCache : new NodeCache(null, null);
        projectCache = projectCache != null ? projectCache : new ProjectCache(null, null, null);
        wakeRetry = wakeRetry != null ? wakeRetry : new WakeRetry(null, null, null);
        wakeLimit = wakeLimit != null ? wakeLimit : "300@1s,200@60s,100@600s";
        WakeRateLimiter.parseList(wakeLimit);
        wakeRetry.policy();
    }
}
