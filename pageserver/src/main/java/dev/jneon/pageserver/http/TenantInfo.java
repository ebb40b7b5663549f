package dev.jneon.pageserver.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Generation;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.TenantState;
import dev.jneon.pageserver.timeline.Timeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neon's TenantInfo (spec F.2); {@link #details} adds TenantDetails' {@code walredo} (always null:
 * no walredo process) and {@code timelines}. Immutable.
 */
public record TenantInfo(
        @JsonProperty("id") TenantShardId id,
        @JsonProperty("state") Map<String, Object> state,
        @JsonProperty("current_physical_size") Long currentPhysicalSize,
        @JsonProperty("attachment_status") Map<String, Object> attachmentStatus,
        @JsonProperty("generation") Generation generation) {

    public static TenantInfo of(TenantShard tenant) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("slug", tenant.state().slug());
        if (tenant.state() == TenantState.BROKEN) {
            state.put("data", Map.of("reason", String.valueOf(tenant.brokenReason()), "backtrace", ""));
        } else if (tenant.state() == TenantState.STOPPING) {
            state.put("data", Map.of());
        }
        Map<String, Object> attachment = tenant.state() == TenantState.BROKEN
                ? Map.of("slug", "failed", "data", Map.of("reason", String.valueOf(tenant.brokenReason())))
                : Map.of("slug", "attached");
        return new TenantInfo(tenant.id(), state, tenant.physicalSize(), attachment, tenant.location().generation());
    }

    /** TenantDetails: these fields plus {@code walredo} and {@code timelines}. */
    public static Map<String, Object> details(TenantShard tenant) {
        TenantInfo info = of(tenant);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", info.id());
        out.put("state", info.state());
        out.put("current_physical_size", info.currentPhysicalSize());
        out.put("attachment_status", info.attachmentStatus());
        out.put("generation", info.generation());
        out.put("walredo", null);
        List<TimelineId> timelines = tenant.timelines().stream().map(Timeline::timelineId).toList();
        out.put("timelines", timelines);
        return out;
    }
}
