package dev.jneon.proxy.cplane;

import java.util.Optional;
import java.util.UUID;

/**
 * Who a control-plane call is made for: sent as {@code X-Request-ID} and query {@code session_id}, plus the
 * client's {@code application_name}. Immutable.
 */
public record CallContext(UUID sessionId, Optional<String> applicationName) {

    public CallContext {
        if (sessionId == null || applicationName == null) {
            throw new IllegalArgumentException("session id and application name (maybe empty) are required");
        }
    }

    /** A context for a new session without an application name. */
    public static CallContext newSession() {
        return new CallContext(UUID.randomUUID(), Optional.empty());
    }
}
