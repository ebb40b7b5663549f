package dev.jneon.safekeeper;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Safekeeper settings ({@code jneon.safekeeper.*}).
 *
 * @param dataDir directory holding {@code <tenant_id>/<timeline_id>/} of every timeline; created if
 *     missing; default {@code ./safekeeper-data}
 */
@ConfigurationProperties("jneon.safekeeper")
public record SafekeeperProperties(Path dataDir) {

    public SafekeeperProperties {
        dataDir = dataDir != null ? dataDir : Path.of("safekeeper-data");
    }
}
