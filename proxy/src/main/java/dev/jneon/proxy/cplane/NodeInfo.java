package dev.jneon.proxy.cplane;

import java.util.Optional;

/**
 * Where a woken compute listens and what it is (B.7 {@code wake_compute} answer). {@code serverName} present means
 * "connect with TLS using this SNI"; absent means plaintext. Immutable.
 */
public record NodeInfo(String host, int port, Optional<String> serverName, ComputeAux aux) {

    public NodeInfo {
        if (host == null || host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad compute address " + host + ":" + port);
        }
        if (serverName == null || aux == null) {
            throw new IllegalArgumentException("serverName (maybe empty) and aux are required");
        }
    }

    /** Parses {@code host:port} or {@code [v6]:port}. */
    public static NodeInfo at(String address, Optional<String> serverName, ComputeAux aux) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("compute address without port: " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new NodeInfo(host, Integer.parseInt(address.substring(colon + 1)), serverName, aux);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in compute address " + address, e);
        }
    }

    /** The same node marked as served from the cache. */
    NodeInfo fromCache() {
        return new NodeInfo(host, port, serverName, aux.withColdStart(ComputeAux.ColdStart.WARM_CACHED));
    }

    /** {@code host:port}, IPv6 hosts in brackets. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
