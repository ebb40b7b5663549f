package dev.jneon.controlplane.compute;

/**
 * One running compute as its launcher knows it. Immutable.
 *
 * @param endpointId its endpoint
 * @param computeId  id given to compute-ctl ({@code --compute-id})
 * @param pid        compute-ctl's process id (local launcher)
 * @param host       where Postgres and compute-ctl listen
 * @param pgPort     Postgres port
 * @param httpPort   compute-ctl API port
 */
public record ComputeHandle(String endpointId, String computeId, long pid, String host, int pgPort, int httpPort) {

    public String api() {
        return "http://" + host + ":" + httpPort;
    }
}
