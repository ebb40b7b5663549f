package dev.jneon.proxy.compute;

import dev.jneon.proxy.cplane.NeonOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The startup parameters the proxy sends a compute on a client's behalf (B.6.7): {@code user},
 * {@code database}, {@code application_name}, {@code replication} and {@code options} minus the
 * proxy's own tokens ({@code endpoint=}, {@code project=}, {@code neon_*}), plus
 * {@code client_encoding=UTF8}. Everything else is dropped. Stateless.
 */
public final class ComputeStartupParameters {

    private static final List<String> KEPT = List.of("user", "database", "application_name", "replication");
    private static final Set<String> PROXY_OPTION_PREFIXES = Set.of("endpoint=", "project=", "neon_");

    private ComputeStartupParameters() {
    }

    public static Map<String, String> of(Map<String, String> client) {
        var out = new LinkedHashMap<String, String>();
        for (String key : KEPT) {
            String value = client.get(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        String options = client.get("options");
        if (options != null) {
            String kept = NeonOptions.tokens(options).stream()
                    .filter(t -> PROXY_OPTION_PREFIXES.stream().noneMatch(t::startsWith))
                    .map(t -> t.replace("\\", "\\\\").replace(" ", "\\ "))
                    .collect(Collectors.joining(" "));
            if (!kept.isEmpty()) {
                out.put("options", kept);
            }
        }
        out.put("client_encoding", "UTF8");
        return out;
    }
}
