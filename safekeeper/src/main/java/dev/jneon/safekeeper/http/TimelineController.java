package dev.jneon.safekeeper.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.common.service.ApiError;
import dev.jneon.safekeeper.backup.RemoteWal;
import dev.jneon.safekeeper.timeline.Timelines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The safekeeper's timeline management routes (spec I, Neon's paths): create, list, status and
 * delete of timelines (with their offloaded WAL unless {@code only_local}) and tenants. Errors are {@code {"msg": ...}} via common's ApiError handler:
 * malformed ids or LSNs → 400, unknown timeline → 404, deleted or unloadable timeline → 409.
 * Stateless; thread-safe.
 */
@RestController
public class TimelineController {

    private final Timelines timelines;
    private final RemoteWal remote;

    public TimelineController(Timelines timelines, ObjectProvider<RemoteWal> remote) {
        this.timelines = timelines;
        this.remote = remote.getIfAvailable();
    }

    record TimelineKey(@JsonProperty("tenant_id") TenantId tenantId, @JsonProperty("timeline_id") TimelineId timelineId) {}

    record DeleteResult(@JsonProperty("dir_existed") boolean dirExisted) {}

    @PostMapping("/v1/tenant/timeline")
    public ResponseEntity<String> create(@RequestBody TimelineCreateRequest request) {
        timelines.create(request.toState(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis())));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("null");
    }

    @GetMapping("/v1/tenant/timeline")
    public List<TimelineKey> list() {
        return timelines.list().stream().map(t -> new TimelineKey(t.tenantId(), t.timelineId())).toList();
    }

    @GetMapping("/v1/tenant/{tenantId}/timeline/{timelineId}")
    public TimelineStatusJson status(@PathVariable String tenantId, @PathVariable String timelineId) {
        TenantTimelineId ttid = ttid(tenantId, timelineId);
        return timelines.get(ttid).map(t -> TimelineStatusJson.of(t.status()))
                .orElseThrow(() -> new ApiError.NotFound("timeline " + ttid + " not found"));
    }

    /** Deletes the timeline here and, unless {@code only_local}, its offloaded WAL. */
    @DeleteMapping("/v1/tenant/{tenantId}/timeline/{timelineId}")
    public DeleteResult delete(@PathVariable String tenantId, @PathVariable String timelineId,
            @RequestParam(name = "only_local", defaultValue = "false") boolean onlyLocal) {
        TenantTimelineId ttid = ttid(tenantId, timelineId);
        boolean existed = timelines.delete(ttid);
        if (remote != null && !onlyLocal) {
            try {
                remote.deleteTimeline(ttid);
            } catch (RemoteStorageException e) {
                throw new ApiError.Unavailable("timeline " + ttid + " deleted locally, its offloaded WAL not yet: "
                        + e.getMessage() + "; retry");
            }
        }
        return new DeleteResult(existed);
    }

    @DeleteMapping("/v1/tenant/{tenantId}")
    public Map<String, DeleteResult> deleteTenant(@PathVariable String tenantId) {
        Map<String, DeleteResult> out = new LinkedHashMap<>();
        timelines.deleteTenant(TenantId.parse(tenantId)).forEach((id, existed) -> out.put(id.toString(),
                new DeleteResult(existed)));
        return out;
    }

    private static TenantTimelineId ttid(String tenantId, String timelineId) {
        return new TenantTimelineId(TenantId.parse(tenantId), TimelineId.parse(timelineId));
    }
}
