package dev.jneon.common.broker;

import dev.jneon.common.id.TenantTimelineId;
import java.util.Objects;

/**
 * A pageserver asks which safekeepers hold a timeline; safekeepers that do answer with a
 * {@link SafekeeperDiscoveryResponse}. Immutable.
 *
 * @param ttid the timeline asked about
 */
public record SafekeeperDiscoveryRequest(TenantTimelineId ttid) implements BrokerMessage {

    public SafekeeperDiscoveryRequest {
        Objects.requireNonNull(ttid, "ttid");
    }
}
