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
 */
public record TenantConf(long checkpointDistance, Duration checkpointTimeout, int compactionThreshold,
        int compactionUpperLimit, int imageCreationThreshold, int imageLayerCreationCheckThreshold) {

    public static final TenantConf DEFAULTS = new TenantConf(268_435_456L, Duration.ofMinutes(10), 10, 10, 3, 2);

    /** The defaults with the given roll settings. */
    public static TenantConf of(long checkpointDistance, Duration checkpointTimeout) {
        return new TenantConf(checkpointDistance, checkpointTimeout, DEFAULTS.compactionThreshold, DEFAULTS.compactionUpperLimit,
                DEFAULTS.imageCreationThreshold, DEFAULTS.imageLayerCreationCheckThreshold);
    }

    public TenantConf withCompactionThreshold(int threshold) {
        return new TenantConf(checkpointDistance, checkpointTimeout, threshold, compactionUpperLimit, imageCreationThreshold,
                imageLayerCreationCheckThreshold);
    }

    public TenantConf withImageCreation(int threshold, int checkThreshold) {
        return new TenantConf(checkpointDistance, checkpointTimeout, compactionThreshold, compactionUpperLimit, threshold,
                checkThreshold);
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
        if (imageCreationThreshold < 1 || imageLayerCreationCheckThreshold < 0) {
            throw new IllegalArgumentException("image_creation_threshold must be at least 1, its check threshold not negative");
        }
        if (compactionThreshold < 2 || compactionUpperLimit < 1) {
            throw new IllegalArgumentException("compaction_threshold must be at least 2 and compaction_upper_limit at least 1");
        }
    }
}
