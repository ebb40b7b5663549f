package dev.jneon.proxy.sql;

import dev.jneon.proxy.cplane.EndpointId;
import dev.jneon.proxy.cplane.NeonOptions;
import dev.jneon.proxy.cplane.PostgresUrl;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a {@code Neon-Connection-String} names: {@code postgres[ql]://user:password@<endpoint>.<domain>[:port]/db
 * [?options=...&application_name=...]}. The endpoint is the first label of the host (an IP host is refused); the
 * {@code options} parameter supplies neon options for the wake and the rest of its tokens are passed to the
 * compute (without {@code endpoint=}, {@code project=} and {@code neon_*}, B.6.7). Immutable; never prints the
 * password.
 */
record ConnectionTarget(EndpointId endpoint, String user, String password, String database,
        NeonOptions neonOptions, Map<String, String> startupParams) {

    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

    /** Parses the header; {@link IllegalArgumentException} messages are meant for the client. */
    static ConnectionTarget parse(String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("missing connection string (Neon-Connection-String header)");
        }
        PostgresUrl url;
        try {
            url = PostgresUrl.parse(header.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid connection string: " + e.getMessage());
        }
        if (IPV4.matcher(url.host()).matches() || url.host().indexOf(':') >= 0) {
            throw new IllegalArgumentException("connection string host must be <endpoint>.<domain>, not an IP address");
        }
        if (url.user().isEmpty()) {
            throw new IllegalArgumentException("connection string has no user");
        }
        int dot = url.host().indexOf('.');
        EndpointId endpoint = new EndpointId(dot < 0 ? url.host() : url.host().substring(0, dot));
        String options = url.parameters().get("options");
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", url.user());
        startup.put("database", url.database());
        startup.put("client_encoding", "UTF8");
        String application = url.parameters().get("application_name");
        if (application != null) {
            startup.put("application_name", application);
        }
        if (options != null) {
            String kept = String.join(" ", NeonOptions.tokens(options).stream()
                    .filter(t -> !t.startsWith("endpoint=") && !t.startsWith("project=") && !t.startsWith("neon_"))
                    .map(t -> t.replace("\\", "\\\\").replace(" ", "\\ "))
                    .toList());
            if (!kept.isEmpty()) {
                startup.put("options", kept);
            }
        }
        return new ConnectionTarget(endpoint, url.user(), url.password(), url.database(), NeonOptions.parse(options),
                startup);
    }

    @Override
    public String toString() {
        return "ConnectionTarget[" + user + "@" + endpoint + "/" + database + "]";
    }
}
