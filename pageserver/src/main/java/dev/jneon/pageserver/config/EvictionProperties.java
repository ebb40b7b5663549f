package dev.jneon.pageserver.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The node-wide disk budget for layer files, keys {@code jneon.pageserver.eviction.*} ([jneon]; Neon's
 * disk-usage eviction works from filesystem usage percentages instead). Immutable.
 *
 * @param maxResidentBytes when the resident layer files of all timelines exceed this, the least recently
 *        used uploaded ones are evicted until they fit; unset = no budget
 * @param period how often the budget is checked (10 s)
 */
@ConfigurationProperties("jneon.pageserver.eviction")
public record EvictionProperties(Long maxResidentBytes, Duration period) {

    public EvictionProperties {
        if (maxResidentBytes != null && maxResidentBytes < 0) {
            throw new IllegalArgumentException("jneon.pageserver.eviction.max-resident-bytes must not be negative");
        }
        if (period == null) {
            period = Duration.ofSeconds(10);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("jneon.pageserver.eviction.period must be positive");
        }
    }
}
