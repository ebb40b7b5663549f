package dev.jneon.proxy.cplane;

/**
 * The {@code aux} block of a wake answer, for logs and metrics: ids of the compute and how cold its start was.
 * Immutable.
 */
public record ComputeAux(String endpointId, String projectId, String branchId, String computeId,
        ColdStart coldStart) {

    /** {@code cold_start_info}; {@code WARM_CACHED} is ours: served from the proxy's node cache. */
    public enum ColdStart {
        UNKNOWN, WARM, POOL_HIT, POOL_MISS, WARM_CACHED;

        /** Reads the JSON spelling ({@code pool_hit}); anything else is {@link #UNKNOWN}. */
        public static ColdStart fromJson(String text) {
            for (ColdStart c : values()) {
                if (c.name().equalsIgnoreCase(text)) {
                    return c;
                }
            }
            return UNKNOWN;
        }
    }

    public ComputeAux {
        endpointId = endpointId == null ? "" : endpointId;
        projectId = projectId == null ? "" : projectId;
        branchId = branchId == null ? "" : branchId;
        computeId = computeId == null ? "" : computeId;
        coldStart = coldStart == null ? ColdStart.UNKNOWN : coldStart;
    }

    ComputeAux withColdStart(ColdStart c) {
        return new ComputeAux(endpointId, projectId, branchId, computeId, c);
    }
}
