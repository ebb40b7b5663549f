package dev.jneon.proxy.cplane;

/**
 * The proxy's view of the control plane (B.4, B.7): wake an endpoint's compute and read who may connect to it.
 * Implementations: {@link HttpControlPlane} ({@code cplane-v1}, production) and {@link PostgresControlPlane}
 * ({@code postgres}, tests). Calls block (run them on virtual threads); implementations are thread-safe. Callers
 * normally go through {@link CachingControlPlane}.
 */
public interface ControlPlane {

    /** Starts the endpoint's compute if needed and says where it listens. */
    NodeInfo wakeCompute(EndpointId endpoint, NeonOptions options, CallContext context) throws ControlPlaneError;

    /** The role's secret and the endpoint's access rules. */
    EndpointAccess accessControl(EndpointId endpoint, String role, CallContext context) throws ControlPlaneError;
}
