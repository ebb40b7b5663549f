package dev.jneon.endpointstorage.object;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.remote.RemotePath;
import java.util.Objects;

/**
 * Where one object lives: {@code <tenant hex>/<timeline hex>/<endpoint_id>/<key>} under the backend's
 * root. Immutable.
 */
public record ObjectLocation(TenantId tenant, TimelineId timeline, EndpointId endpoint, ObjectKey key) {

    public ObjectLocation {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(key, "key");
    }

    /**
     * From the route's path variables; tenant and timeline must be 32 hex digits. Throws
     * {@link IllegalArgumentException} naming the bad part.
     */
    public static ObjectLocation parse(String tenant, String timeline, String endpoint, String key) {
        return new ObjectLocation(TenantId.parse(tenant), TimelineId.parse(timeline), new EndpointId(endpoint),
                ObjectKey.parse(key));
    }

    /** The object's key in the backend. */
    public RemotePath path() {
        return RemotePath.of(tenant.toString(), timeline.toString(), endpoint.value()).join(key.path());
    }
}
