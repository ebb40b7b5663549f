package dev.jneon.endpointstorage.object;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.remote.RemotePath;
import java.util.Objects;
import java.util.Optional;

/**
 * A folder of objects to delete at once: a tenant's, a timeline's or an endpoint's
 * ({@code <tenant>[/<timeline>[/<endpoint_id>]]}). Immutable.
 */
public record StoragePrefix(TenantId tenant, Optional<TimelineId> timeline, Optional<EndpointId> endpoint) {

    public StoragePrefix {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint.isPresent() && timeline.isEmpty()) {
            throw new IllegalArgumentException("an endpoint prefix needs its timeline");
        }
    }

    public static StoragePrefix tenant(String tenant) {
        return new StoragePrefix(TenantId.parse(tenant), Optional.empty(), Optional.empty());
    }

    public static StoragePrefix timeline(String tenant, String timeline) {
        return new StoragePrefix(TenantId.parse(tenant), Optional.of(TimelineId.parse(timeline)), Optional.empty());
    }

    public static StoragePrefix endpoint(String tenant, String timeline, String endpoint) {
        return new StoragePrefix(TenantId.parse(tenant), Optional.of(TimelineId.parse(timeline)),
                Optional.of(new EndpointId(endpoint)));
    }

    /** The folder in the backend. */
    public RemotePath path() {
        RemotePath path = RemotePath.of(tenant.toString());
        if (timeline.isPresent()) {
            path = path.join(timeline.get().toString());
        }
        return endpoint.isPresent() ? path.join(endpoint.get().value()) : path;
    }
}
