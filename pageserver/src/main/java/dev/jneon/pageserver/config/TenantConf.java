package dev.jneon.pageserver.config;

import java.time.Duration;

/**
 * The tenant knobs the storage engine honours (spec K), with Neon's defaults. Immutable.
 *
 * @param checkpointDistance roll the open in-memory layer after this much WAL (times the shard
 *     count) or this many bytes in it; roughly the size of an L0 delta
 * @param checkpointTimeout roll a non-empty open layer after this age
 * @param compactionThreshold L0 deltas that trigger an L0 to L1 compaction
 * @param compactionUpperLimit how many checkpoint_distances (at least 256 MiB each) one compaction takes
 * @param imageCreationThreshold deltas above the newest image layer that make a new image layer due
 * @param imageLayerCreationCheckThreshold an image is considered only after this many
 *     checkpoint_distances of WAL since the newest image
 * @param gcHorizon bytes of WAL history GC keeps below last_record_lsn (space cutoff)
 * @param pitrInterval time of history GC keeps (time cutoff, from CLOG commit timestamps); 0: space cutoff only
 * @param gcPeriod how often the tenant's GC loop runs GC on each of its timelines; 0 disables the loop
 */
public record TenantConf(long checkpointDistance, Duration checkpointTimeout, int compactionThreshold,
        int compactionUpperLimit, int imageCreationThreshold, int imageLayerCreationCheckThreshold, long gcHorizon,
        Duration pitrInterval, Duration gcPeriod) {

    public static final TenantConf DEFAULTS = new TenantConf(268_435_456L, Duration.ofMinutes(10), 10, 10, 3, 2,
            67_108_864L, Duration.ofDays(7), Duration.ofHours(1));

    /** The defaults with the given roll settings. */
    public static TenantConf of(long checkpointDistance, Duration checkpointTimeout) {
        return new TenantConf(checkpointDistance, checkpointTimeout, DEFAULTS.compactionThreshold, DEFAULTS.compactionUpperLimit,
                DEFAULTS.imageCreationThreshold, DEFAULTS.imageLayerCreationCheckThreshold, DEFAULTS.gcHorizon,
                DEFAULTS.pitrInterval, DEFAULTS.gcPeriod);
    }

    public TenantConf withCompactionThreshold(int threshold) {
        return new TenantConf(checkpointDistance, checkpointTimeout, threshold, compactionUpperLimit, imageCreationThreshold,
                imageLayerCreationCheckThreshold, gcHorizon, pitrInterval, gcPeriod);
    }

    public TenantConf withImageCreation(int threshold, int checkThreshold) {
        return new TenantConf(checkpointDistance, checkpointTimeout, compactionThreshold, compactionUpperLimit, threshold,
                checkThreshold, gcHorizon, pitrInterval, gcPeriod);
    }

    public TenantConf withGc(long horizon, Duration pitr) {
        return new TenantConf(checkpointDistance, checkpointTimeout, compactionThreshold, compactionUpperLimit,
                imageCreationThreshold, imageLayerCreationCheckThreshold, horizon, pitr, gcPeriod);
    }

    public TenantConf withGcPeriod(Duration period) {
        return new TenantConf(checkpointDistance, checkpointTimeout, compactionThreshold, compactionUpperLimit,
                imageCreationThreshold, imageLayerCreationCheckThreshold, gcHorizon, pitrInterval, period);
    }

    /** Most bytes of L0 one compaction merges (spec D.5.2). */
    public long compactionMaxBytes() {
        return Math.max(compactionUpperLimit, compactionThreshold) * Math.max(checkpointDistance, 256L << 20);
    }

    public TenantConf {
        if (checkpointDistance <= 0) {
            throw new IllegalArgumentException("checkpoint_distance must be positive, got " + checkpointDistance);
        }
        if (checkpointTimeout == null || checkpointTimeout.isNegative() || checkpointTimeout.isZero()) {
            throw new IllegalArgumentException("checkpoint_timeout must be positive, got " + checkpointTimeout);
        }
        if (gcHorizon < 0 || pitrInterval == null || pitrInterval.isNegative()) {
            throw new IllegalArgumentException("gc_horizon and pitr_interval must not be negative");
        }
        if (gcPeriod == null || gcPeriod.isNegative()) {
            throw new IllegalArgumentException("gc_period must not be negative, got " + gcPeriod);
        }
        if (imageCreationThreshold < 1 || imageLayerCreationCheckThreshold < 0) {
            throw new IllegalArgumentException("image_creation_threshold must be at least 1, its check threshold not negative");
        }
        if (compactionThreshold < 2 || compactionUpperLimit < 1) {
            throw new IllegalArgumentException("compaction_threshold must be at least 2 and compaction_upper_limit at least 1");
        }
    }
}
