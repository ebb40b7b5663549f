package dev.jneon.proxy.cplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code neon_<k>:<v>} tokens of a startup {@code options} string ({@code neon_lsn}, {@code neon_timestamp},
 * {@code neon_endpoint_type}, {@code neon_proxy_params_compat}): they select which compute to wake, so they are
 * part of the node-cache key ({@code <endpoint> k:v ...}, sorted) and are sent to {@code wake_compute} as
 * {@code options[k]=v}. Tokens are separated by spaces, a backslash escapes the next character (PostgreSQL's
 * rule). Immutable.
 */
public record NeonOptions(SortedMap<String, String> values) {

    public NeonOptions {
        values = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public static NeonOptions none() {
        return new NeonOptions(new TreeMap<>());
    }

    /** Picks the neon tokens out of a startup {@code options} value (null = none). */
    public static NeonOptions parse(String options) {
        TreeMap<String, String> found = new TreeMap<>();
        if (options != null) {
            for (String token : tokens(options)) {
                int colon = token.indexOf(':');
                if (token.startsWith("neon_") && colon > 0) {
                    found.put(token.substring(0, colon), token.substring(colon + 1));
                }
            }
        }
        return new NeonOptions(found);
    }

    /** Splits an options string at unescaped whitespace, removing the escapes. */
    public static List<String> tokens(String options) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (escaped) {
                current.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (Character.isWhitespace(c)) {
                if (!current.isEmpty()) {
                    out.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        return out;
    }

    /** The node-cache key for waking {@code endpoint} with these options. */
    public String cacheKey(EndpointId endpoint) {
        StringBuilder sb = new StringBuilder(endpoint.value());
        for (Map.Entry<String, String> e : values.entrySet()) {
            sb.append(' ').append(e.getKey()).append(':').append(e.getValue());
        }
        return sb.toString();
    }
}
