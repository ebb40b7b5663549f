package dev.jneon.proxy.frontend;

import dev.jneon.proxy.frontend.EndpointResolution.Found;
import dev.jneon.proxy.frontend.EndpointResolution.Invalid;
import dev.jneon.proxy.frontend.EndpointResolution.NeedPasswordHack;
import dev.jneon.proxy.cplane.NeonOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the endpoint id a client asks for (B.2), in this order: the TLS server name when its part
 * after the first label is one of the served domains (certificate common names) and that label is
 * not {@code api}/{@code apiauth}; the {@code options} parameter's single {@code endpoint=<id>} or
 * {@code project=<id>} token (two or more such tokens count as none); otherwise the password hack.
 * A server name under no served domain is ignored [jneon] rather than refused, so
 * {@code host=localhost sslmode=require} works. Stateless.
 */
public final class EndpointResolver {

    /** Sent when no endpoint can be found at all (after the password hack failed too). */
    public static final String NO_ENDPOINT_MESSAGE = "Endpoint ID is not specified. Either please upgrade the postgres"
            + " client library (libpq) for SNI support or pass the endpoint ID (first part of the domain name) as a"
            + " parameter: '?options=endpoint%3D<endpoint-id>'. See more at https://neon.tech/sni";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9-]+");
    private static final Set<String> NOT_ENDPOINTS = Set.of("api", "apiauth");

    private EndpointResolver() {
    }

    /**
     * @param serverName  the SNI the client sent over TLS, or null
     * @param domains     the served domains (certificate common names without {@code *.})
     * @param options     the startup {@code options} parameter, or null
     */
    public static EndpointResolution resolve(String serverName, Set<String> domains, String options) {
        Optional<String> fromSni = fromServerName(serverName, domains);
        Optional<String> fromOptions = fromOptions(options);
        if (fromOptions.isPresent() && !VALID.matcher(fromOptions.get()).matches()) {
            return new Invalid("Project name ('" + fromOptions.get()
                    + "') must contain only alphanumeric characters and hyphen.");
        }
        if (fromSni.isPresent() && fromOptions.isPresent() && !fromSni.get().equals(fromOptions.get())) {
            return new Invalid("Inconsistent project name inferred from SNI ('" + fromSni.get()
                    + "') and project option ('" + fromOptions.get() + "').");
        }
        if (fromSni.isPresent()) {
            return new Found(fromSni.get(), true);
        }
        return fromOptions.<EndpointResolution>map(ep -> new Found(ep, false)).orElseGet(NeedPasswordHack::new);
    }

    static Optional<String> fromServerName(String serverName, Set<String> domains) {
        if (serverName == null) {
            return Optional.empty();
        }
        int dot = serverName.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String label = serverName.substring(0, dot).toLowerCase(java.util.Locale.ROOT);
        String domain = serverName.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        if (!domains.contains(domain) || NOT_ENDPOINTS.contains(label) || !VALID.matcher(label).matches()) {
            return Optional.empty();
        }
        return Optional.of(label);
    }

    /** The id of the single {@code endpoint=}/{@code project=} token in {@code options}, if exactly one. */
    static Optional<String> fromOptions(String options) {
        if (options == null) {
            return Optional.empty();
        }
        List<String> ids = new ArrayList<>();
        for (String token : NeonOptions.tokens(options)) {
            endpointToken(token).ifPresent(ids::add);
        }
        return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
    }

    /** The id in an {@code endpoint=<id>} or {@code project=<id>} token. */
    static Optional<String> endpointToken(String token) {
        for (String prefix : List.of("endpoint=", "project=")) {
            if (token.startsWith(prefix) && token.length() > prefix.length()) {
                return Optional.of(token.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }
}
