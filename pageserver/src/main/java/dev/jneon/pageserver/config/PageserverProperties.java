package dev.jneon.pageserver.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Node settings of the pageserver, keys {@code jneon.pageserver.*}. Immutable; validated at start-up.
 *
 * @param dataDir the workdir: tenants live in {@code <dataDir>/tenants/<tenant_shard_id>/timelines/<timeline_id>/}
 * @param waitLsnTimeout how long a branch waits for its start LSN on the parent (Neon's wait_lsn_timeout)
 * @param initdbDataChecksums whether bootstrap initdb runs with {@code --data-checksums}
 */
@ConfigurationProperties("jneon.pageserver")
public record PageserverProperties(Path dataDir, Duration waitLsnTimeout, boolean initdbDataChecksums) {

    public PageserverProperties {
        if (dataDir == null) {
            throw new IllegalArgumentException("jneon.pageserver.data-dir must be set");
        }
        if (waitLsnTimeout == null) {
            waitLsnTimeout = Duration.ofSeconds(300);
        }
        if (waitLsnTimeout.isNegative()) {
            throw new IllegalArgumentException("jneon.pageserver.wait-lsn-timeout must not be negative");
        }
    }

    public Path tenantsDir() {
        return dataDir.resolve("tenants");
    }
}
