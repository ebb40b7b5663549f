package dev.jneon.controlplane.registry;

/**
 * Where an endpoint is in its scale-to-zero life (spec E.3):
 * {@code idle -> starting -> active -> suspending -> idle}; a start that fails leaves {@code failed},
 * which a later start treats like {@code idle}.
 */
public enum EndpointState {
    IDLE, STARTING, ACTIVE, SUSPENDING, FAILED;

    /** The name in JSON and in the registry table. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static EndpointState parse(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
