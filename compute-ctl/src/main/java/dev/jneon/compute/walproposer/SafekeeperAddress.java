package dev.jneon.compute.walproposer;

import java.util.ArrayList;
import java.util.List;

/** Where a safekeeper's gRPC WAL service listens. Text form {@code host:port}. Immutable. */
public record SafekeeperAddress(String host, int port) {

    public SafekeeperAddress {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid safekeeper address " + host + ":" + port);
        }
    }

    /** Parses {@code host:port}. */
    public static SafekeeperAddress parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("malformed safekeeper address '" + text + "': expected host:port");
        }
        try {
            return new SafekeeperAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed safekeeper port in '" + text + "'", e);
        }
    }

    /** Parses a comma-separated list {@code host:port,host:port,...}. */
    public static List<SafekeeperAddress> parseList(String text) {
        List<SafekeeperAddress> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(parse(part.strip()));
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no safekeepers in '" + text + "'");
        }
        return List.copyOf(list);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
