package dev.jneon.broker.config;

/**
 * A {@code host:port} to listen on; port 0 picks a free port. Spring binds it from its text form
 * through {@link #parse}. Immutable.
 *
 * @param host host name or IP address to bind
 * @param port 0..65535
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("listen address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be in 0..65535, got " + port);
        }
    }

    /** Parses {@code host:port} (an IPv6 host in brackets); throws naming the bad input. */
    public static ListenAddress parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("malformed listen address '" + text + "': expected host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new ListenAddress(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed listen address '" + text + "': port is not a number");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
