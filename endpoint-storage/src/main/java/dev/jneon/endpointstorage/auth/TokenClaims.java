package dev.jneon.endpointstorage.auth;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.endpointstorage.object.EndpointId;
import dev.jneon.endpointstorage.object.ObjectLocation;
import dev.jneon.endpointstorage.object.StoragePrefix;
import java.util.Objects;
import java.util.Optional;

/**
 * The claims of a verified token: {@code {"tenant_id", "timeline_id"?, "endpoint_id"?, "exp"}}. A token
 * with all three ids is an object token (minted by the control plane for one endpoint); one with fewer
 * is a prefix token for deleting a tenant's or a timeline's objects. Which routes a token opens:
 * <ul>
 *   <li>reading an object: an object token of the same tenant and timeline (any endpoint: an endpoint
 *       may read another endpoint's state, e.g. to prewarm from it);</li>
 *   <li>writing or deleting an object: an object token naming exactly its tenant, timeline and endpoint;</li>
 *   <li>deleting a prefix: a token whose ids are exactly the prefix's (a tenant token cannot delete a
 *       timeline, a timeline token cannot delete the tenant).</li>
 * </ul>
 * Immutable.
 *
 * @param expiresAt the {@code exp} claim, seconds since the epoch
 */
public record TokenClaims(TenantId tenantId, Optional<TimelineId> timelineId, Optional<EndpointId> endpointId,
                          long expiresAt) {

    public TokenClaims {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(timelineId, "timelineId");
        Objects.requireNonNull(endpointId, "endpointId");
        if (endpointId.isPresent() && timelineId.isEmpty()) {
            throw new IllegalArgumentException("a token naming an endpoint must name its timeline");
        }
    }

    /** Whether the token may read the object at {@code location}. */
    public boolean allowsRead(ObjectLocation location) {
        return endpointId.isPresent() && tenantId.equals(location.tenant())
                && timelineId.equals(Optional.of(location.timeline()));
    }

    /** Whether the token may write or delete the object at {@code location}. */
    public boolean allowsWrite(ObjectLocation location) {
        return allowsRead(location) && endpointId.equals(Optional.of(location.endpoint()));
    }

    /** Whether the token may delete everything under {@code prefix}. */
    public boolean allowsPrefixDelete(StoragePrefix prefix) {
        return tenantId.equals(prefix.tenant()) && timelineId.equals(prefix.timeline())
                && endpointId.equals(prefix.endpoint());
    }
}
