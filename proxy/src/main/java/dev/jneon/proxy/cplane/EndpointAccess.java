package dev.jneon.proxy.cplane;

import dev.jneon.common.scram.ScramSecret;
import java.util.List;
import java.util.Optional;

/**
 * What the control plane says about connecting to an endpoint as a role (B.7 {@code get_endpoint_access_control}):
 * the role's verifier (empty: unknown role, authenticate against a mock and fail), the IP allowlist, the
 * blocked-network flags and the endpoint's connection-attempt limits. Immutable.
 */
public record EndpointAccess(Optional<ScramSecret> roleSecret, Optional<String> projectId,
        Optional<String> accountId, AllowedIps allowedIps, List<String> allowedVpcEndpointIds,
        boolean blockPublicConnections, boolean blockVpcConnections, ConnectionLimits connectionLimits) {

    /** A rate and burst the control plane set for one protocol; values of 0 or less mean "use the default". */
    public record Limit(double rps, double burst) {
    }

    /** {@code rate_limits.connection_attempts} per protocol. */
    public record ConnectionLimits(Optional<Limit> tcp, Optional<Limit> ws, Optional<Limit> http) {

        public static ConnectionLimits defaults() {
            return new ConnectionLimits(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    public EndpointAccess {
        allowedVpcEndpointIds = List.copyOf(allowedVpcEndpointIds);
    }

    /** Access with only a secret and an allowlist, as the Postgres backend knows it. */
    public static EndpointAccess of(Optional<ScramSecret> secret, AllowedIps allowedIps) {
        return new EndpointAccess(secret, Optional.empty(), Optional.empty(), allowedIps, List.of(), false, false,
                ConnectionLimits.defaults());
    }

    /** The same endpoint-level facts with another role's secret. */
    EndpointAccess withSecret(Optional<ScramSecret> secret) {
        return new EndpointAccess(secret, projectId, accountId, allowedIps, allowedVpcEndpointIds,
                blockPublicConnections, blockVpcConnections, connectionLimits);
    }
}
