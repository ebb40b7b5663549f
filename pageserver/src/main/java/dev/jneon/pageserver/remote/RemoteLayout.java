package dev.jneon.pageserver.remote;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.pageserver.layer.LayerName;

/**
 * Object keys of the pageserver in remote storage (spec E.1, Neon's layout), relative to the
 * backend's root or prefix:
 * <pre>
 * tenants/&lt;tenant_shard_id&gt;/timelines/&lt;timeline_id&gt;/&lt;LayerName&gt;-&lt;gen %08x&gt;     a layer file
 * tenants/&lt;tenant_shard_id&gt;/timelines/&lt;timeline_id&gt;/index_part.json-&lt;gen %08x&gt;  an index
 * </pre>
 * The generation suffix is empty for {@link Generation#NONE}. Stateless.
 */
public final class RemoteLayout {

    public static final String INDEX_NAME = "index_part.json";

    private RemoteLayout() {}

    public static RemotePath tenant(TenantShardId tenant) {
        return RemotePath.of("tenants", tenant.toString());
    }

    public static RemotePath timelines(TenantShardId tenant) {
        return tenant(tenant).join("timelines");
    }

    public static RemotePath timeline(TenantShardId tenant, TimelineId timeline) {
        return timelines(tenant).join(timeline.toString());
    }

    public static RemotePath layer(TenantShardId tenant, TimelineId timeline, LayerName name, Generation generation) {
        return timeline(tenant, timeline).join(name + generation.suffix());
    }

    public static RemotePath index(TenantShardId tenant, TimelineId timeline, Generation generation) {
        return timeline(tenant, timeline).join(INDEX_NAME + generation.suffix());
    }

    /** The generation of an index object named {@code name}, or null when it is not an index. */
    public static Generation indexGeneration(String name) {
        if (name.equals(INDEX_NAME)) {
            return Generation.NONE;
        }
        if (!name.startsWith(INDEX_NAME + "-")) {
            return null;
        }
        try {
            return Generation.parseSuffix(name.substring(INDEX_NAME.length() + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
