package dev.jneon.proxy.cancel;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a cancel for one client session must go: the compute's address and the BackendKeyData
 * the compute gave the proxy, plus whose session it is (for the access check). Immutable.
 */
public record CancelTarget(InetSocketAddress compute, int processId, int secretKey, String endpoint, String user) {

    public CancelTarget {
        Objects.requireNonNull(compute, "compute");
    }

    @Override
    public String toString() {
        return "CancelTarget[" + compute + ", pid " + processId + ", " + endpoint + "/" + user + "]";
    }
}
