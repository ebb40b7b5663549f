package dev.jneon.proxy.frontend;

/**
 * What the startup packet and TLS server name say about the endpoint a client wants (B.2).
 * Immutable values.
 */
public sealed interface EndpointResolution {

    /** The endpoint id is known; {@code fromSni} tells whether the TLS server name gave it. */
    record Found(String endpoint, boolean fromSni) implements EndpointResolution {
    }

    /** Neither SNI nor options name it: ask for a cleartext password and read {@code endpoint=<id>;<pw>}. */
    record NeedPasswordHack() implements EndpointResolution {
    }

    /** The client named it inconsistently or with bad characters; {@code message} goes to the client. */
    record Invalid(String message) implements EndpointResolution {
    }
}
