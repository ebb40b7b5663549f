package dev.jneon.pageserver.config;

import java.time.Duration;

/**
 * The tenant knobs the storage engine honours (spec K), with Neon's defaults. Immutable.
 *
 * @param checkpointDistance roll the open in-memory layer after this much WAL (times the shard
 *     count) or this many bytes in it; roughly the size of an L0 delta
 * @param checkpointTimeout roll a non-empty open layer after this age
 */
public record TenantConf(long checkpointDistance, Duration checkpointTimeout) {

    public static final TenantConf DEFAULTS = new TenantConf(268_435_456L, Duration.ofMinutes(10));

    public TenantConf {
        if (checkpointDistance <= 0) {
            throw new IllegalArgumentException("checkpoint_distance must be positive, got " + checkpointDistance);
        }
        if (checkpointTimeout == null || checkpointTimeout.isNegative() || checkpointTimeout.isZero()) {
            throw new IllegalArgumentException("checkpoint_timeout must be positive, got " + checkpointTimeout);
        }
    }
}
