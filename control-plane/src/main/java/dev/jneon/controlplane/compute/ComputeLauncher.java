package dev.jneon.controlplane.compute;

import dev.jneon.controlplane.registry.Endpoint;
import java.util.Map;

/**
 * Starts and stops the compute-ctl of an endpoint. The seam between the lifecycle and where computes
 * run: {@link LocalComputeLauncher} runs child processes; a Kubernetes launcher would run pods.
 * Implementations are thread-safe; calls for one endpoint are serialized by the caller.
 */
public interface ComputeLauncher {

    /**
     * Launches compute-ctl for {@code endpoint} with the ComputeConfig document {@code config} (spec
     * A.2) and waits until it reports {@code running}.
     *
     * @throws ComputeStartFailed if it reports {@code failed}, exits, or does not get there in time
     *                            (whatever it left running is stopped first)
     */
    ComputeHandle start(Endpoint endpoint, String computeId, Map<String, Object> config);

    /** True if the compute's process still exists (it may be failed or terminating). */
    boolean isAlive(ComputeHandle compute);

    /**
     * Stops the compute: {@code POST /terminate?mode=immediate}, then SIGTERM, SIGKILL after 10 s,
     * and cleans up whatever Postgres it left behind. Safe on an already dead compute.
     */
    void stop(ComputeHandle compute);

    /** Forgets a deleted endpoint: removes what its computes left behind (data directory, logs). */
    void discard(String endpointId);

    /** A start that did not reach {@code running}. */
    final class ComputeStartFailed extends RuntimeException {
        public ComputeStartFailed(String message) {
            super(message, null, false, false);
        }
    }
}
