package dev.jneon.controlplane.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An endpoint: the primary compute of a branch, addressed by its id, with its settings, its
 * lifecycle state and, while it has one, its compute process. Immutable.
 *
 * @param id                    {@code [a-z0-9-]+}; what clients put in {@code options=endpoint=<id>}
 * @param projectId             its project
 * @param branchId              its branch (timeline)
 * @param suspendTimeoutSeconds idle seconds before suspend; -1 = never
 * @param autoprewarm           the compute prewarms from endpoint storage at start
 * @param allowedIps            client IPs, ranges or CIDRs the proxy lets in; empty = all
 * @param disabled              wake-ups refused with 406
 * @param state                 lifecycle state
 * @param host                  where the compute listens
 * @param pgPort                Postgres port, stable for the endpoint's life
 * @param httpPort              compute-ctl HTTP port, stable for the endpoint's life
 * @param computeId             id of the current or last compute, or null
 * @param pid                   compute-ctl's pid while one runs, or null
 * @param startedAt             when the current compute reached running, or null
 * @param lastActive            last activity compute-ctl reported, or null
 * @param lastError             why the last start failed, or null
 */
public record Endpoint(String id, String projectId, String branchId, long suspendTimeoutSeconds, boolean autoprewarm,
        List<String> allowedIps, boolean disabled, EndpointState state, String host, int pgPort, int httpPort,
        String computeId, Long pid, Instant startedAt, Instant lastActive, String lastError) {

    public Endpoint {
        Ids.check("endpoint", id);
        Objects.requireNonNull(state, "state");
        allowedIps = List.copyOf(allowedIps);
        if (suspendTimeoutSeconds < -1 || suspendTimeoutSeconds == 0) {
            throw new IllegalArgumentException("suspend_timeout_seconds must be -1 (never) or positive, got "
                    + suspendTimeoutSeconds);
        }
    }

    /** {@code host:port} of its Postgres, the proxy's {@code address}. */
    public String address() {
        return host + ":" + pgPort;
    }

    /** Base URL of its compute-ctl API. */
    public String computeApi() {
        return "http://" + host + ":" + httpPort;
    }
}
