package dev.jneon.pageserver.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Generation;
import dev.jneon.pageserver.config.TenantConf;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An attached tenant shard's location: mode, generation, stripe size and the tenant config
 * overrides exactly as given (spec K knob names). Persisted by {@link TenantConfigFile}. Immutable.
 */
public record LocationConf(
        @JsonProperty("mode") LocationMode mode,
        @JsonProperty("generation") Generation generation,
        @JsonProperty("shard_stripe_size") long stripeSize,
        @JsonProperty("tenant_conf") Map<String, Object> tenantConf) {

    /** Neon's tenant config knobs (spec K); any other name in {@code tenant_conf} is refused. */
    public static final Set<String> KNOWN_KNOBS = Set.of("checkpoint_distance", "checkpoint_timeout", "compaction_period",
            "compaction_threshold", "compaction_upper_limit", "compaction_target_size", "compaction_algorithm",
            "l0_flush_delay_threshold", "l0_flush_stall_threshold", "image_creation_threshold",
            "image_layer_creation_check_threshold", "gc_period", "gc_horizon", "pitr_interval", "lsn_lease_length",
            "lsn_lease_length_for_ts", "walreceiver_connect_timeout", "lagging_wal_timeout", "max_lsn_wal_lag",
            "eviction_policy", "timeline_get_throttle", "timeline_offloading", "gc_compaction_enabled",
            "rel_size_v2_enabled", "min_resident_size_override", "heatmap_period", "lazy_slru_download");

    public LocationConf {
        if (mode == null || generation == null) {
            throw new IllegalArgumentException("location needs a mode and a generation");
        }
        tenantConf = tenantConf == null ? Map.of() : new TreeMap<>(tenantConf);
        for (String knob : tenantConf.keySet()) {
            if (!KNOWN_KNOBS.contains(knob)) {
                throw new IllegalArgumentException("unknown tenant config knob '" + knob + "'");
            }
        }
        engineConf(tenantConf); // validates the knobs the engine uses
    }

    /** The knobs the storage engine honours, defaults for the rest. */
    public TenantConf engineConf() {
        return engineConf(tenantConf);
    }

    private static TenantConf engineConf(Map<String, Object> conf) {
        TenantConf d = TenantConf.DEFAULTS;
        Duration timeout = duration(conf, "checkpoint_timeout", d.checkpointTimeout());
        return new TenantConf(number(conf, "checkpoint_distance", d.checkpointDistance()), timeout,
                (int) number(conf, "compaction_threshold", d.compactionThreshold()),
                (int) number(conf, "compaction_upper_limit", d.compactionUpperLimit()),
                (int) number(conf, "image_creation_threshold", d.imageCreationThreshold()),
                (int) number(conf, "image_layer_creation_check_threshold", d.imageLayerCreationCheckThreshold()),
                number(conf, "gc_horizon", d.gcHorizon()), duration(conf, "pitr_interval", d.pitrInterval()),
                duration(conf, "gc_period", d.gcPeriod()));
    }

    private static Duration duration(Map<String, Object> conf, String knob, Duration fallback) {
        Object v = conf.get(knob);
        return v == null ? fallback : HumanDuration.parse(String.valueOf(v));
    }

    private static long number(Map<String, Object> conf, String knob, long fallback) {
        Object v = conf.get(knob);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(knob + " must be a number, got " + v);
        }
        return n.longValue();
    }
}
