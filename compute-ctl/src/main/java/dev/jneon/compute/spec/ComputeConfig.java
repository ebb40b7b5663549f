package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code --config} and {@code POST /configure} (spec A.2): {@code {spec, compute_ctl_config}}.
 * {@code spec} null means "no spec yet" (the compute waits in {@code empty}). {@code compute_ctl_config}
 * (JWKS, TLS) is accepted and ignored: jneon's compute API runs on loopback without JWT and without
 * Postgres TLS. Immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComputeConfig(ComputeSpec spec, @JsonProperty("compute_ctl_config") Map<String, Object> computeCtlConfig) {

    public ComputeConfig {
        computeCtlConfig = computeCtlConfig == null ? Map.of() : computeCtlConfig;
    }
}
