package dev.jneon.pageserver.http;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.gc.GcResult;
import dev.jneon.pageserver.walreceiver.WalReceiver;
import dev.jneon.pageserver.walreceiver.WalReceivers;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Timeline routes of the management API (spec F.1, F.3): list, create (Branch when
 * {@code ancestor_timeline_id} is given, ImportPgdata with {@code import_pgdata}, else Bootstrap),
 * detail (with the WAL receiver's state), delete, checkpoint, do_gc, wait_lsn. Stateless; thread-safe.
 */
@RestController
public class TimelineApi {

    private static final java.time.Duration UPLOAD_WAIT = java.time.Duration.ofMinutes(5);

    private final Tenants tenants;
    private final WalReceivers receivers;

    public TimelineApi(Tenants tenants, WalReceivers receivers) {
        this.tenants = tenants;
        this.receivers = receivers;
    }

    private TimelineInfo info(Timeline t) {
        return TimelineInfo.of(t, receivers.of(t).map(WalReceiver::status).orElse(null));
    }

    @GetMapping("/v1/tenant/{tenantShardId}/timeline")
    public List<TimelineInfo> list(@PathVariable String tenantShardId) {
        return tenants.active(TenantShardId.parse(tenantShardId)).timelines().stream().map(this::info).toList();
    }

    @PostMapping("/v1/tenant/{tenantShardId}/timeline")
    public ResponseEntity<TimelineInfo> create(@PathVariable String tenantShardId, @RequestBody Map<String, Object> body)
            throws InterruptedException {
        TenantShard tenant = tenants.active(TenantShardId.parse(tenantShardId));
        String newId = JsonBodies.string(body, "new_timeline_id");
        if (newId == null) {
            throw new ApiError.BadRequest("new_timeline_id is required");
        }
        TimelineId id = TimelineId.parse(newId);
        Timeline created;
        if (body.get("import_pgdata") != null) {
            created = tenants.creation().importPgdata(tenant, id, importPath(body.get("import_pgdata")));
            return ResponseEntity.status(HttpStatus.CREATED).body(TimelineInfo.of(created));
        }
        String ancestor = JsonBodies.string(body, "ancestor_timeline_id");
        if (ancestor != null) {
            String start = JsonBodies.string(body, "ancestor_start_lsn");
            created = tenants.creation().branch(tenant, id, TimelineId.parse(ancestor), start == null ? null : Lsn.parse(start));
        } else {
            if (body.get("existing_initdb_timeline_id") != null) {
                throw new ApiError.BadRequest("existing_initdb_timeline_id needs remote storage, which is not configured");
            }
            Long version = JsonBodies.number(body, "pg_version");
            PgMajorVersion pg = version == null ? PgMajorVersion.PG15 : PgMajorVersion.of(version.intValue());
            created = tenants.creation().bootstrap(tenant, id, pg);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(TimelineInfo.of(created));
    }

    @GetMapping("/v1/tenant/{tenantShardId}/timeline/{timelineId}")
    public TimelineInfo get(@PathVariable String tenantShardId, @PathVariable String timelineId) {
        return info(timeline(tenantShardId, timelineId));
    }

    @DeleteMapping("/v1/tenant/{tenantShardId}/timeline/{timelineId}")
    public ResponseEntity<String> delete(@PathVariable String tenantShardId, @PathVariable String timelineId) {
        TenantShardId tenantId = TenantShardId.parse(tenantShardId);
        TimelineId id = TimelineId.parse(timelineId);
        TenantShard tenant = tenants.get(tenantId);
        tenant.deleteTimeline(id);
        return JsonBodies.unit(HttpStatus.ACCEPTED);
    }

    /** Freeze, flush, compact; with {@code wait_until_uploaded=true} also wait for the uploads (≤ 5 min, else 503). */
    @PutMapping("/v1/tenant/{tenantShardId}/timeline/{timelineId}/checkpoint")
    public ResponseEntity<String> checkpoint(@PathVariable String tenantShardId, @PathVariable String timelineId,
            @RequestParam(name = "wait_until_uploaded", defaultValue = "false") boolean waitUntilUploaded)
            throws InterruptedException {
        Timeline t = timeline(tenantShardId, timelineId);
        t.checkpoint();
        if (waitUntilUploaded && !t.awaitUploads(UPLOAD_WAIT)) {
            throw new ApiError.Unavailable("uploads of " + t + " did not finish within " + UPLOAD_WAIT);
        }
        return JsonBodies.unit(HttpStatus.OK);
    }

    /** Neon's do_gc: runs GC now with {@code gc_horizon} (or the tenant's) and reports the layer counts. */
    @PutMapping("/v1/tenant/{tenantShardId}/timeline/{timelineId}/do_gc")
    public Map<String, Object> doGc(@PathVariable String tenantShardId, @PathVariable String timelineId,
            @RequestBody(required = false) Map<String, Object> body) {
        TenantShard tenant = tenants.active(TenantShardId.parse(tenantShardId));
        TimelineId id = TimelineId.parse(timelineId);
        Long horizon = body == null ? null : JsonBodies.number(body, "gc_horizon");
        long started = System.nanoTime();
        GcResult r = tenant.gc(id, horizon);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("layers_total", r.layersTotal());
        out.put("layers_needed_by_cutoff", r.layersNeededByCutoff());
        out.put("layers_needed_by_pitr", r.layersNeededByPitr());
        out.put("layers_needed_by_branches", r.layersNeededByBranches());
        out.put("layers_needed_by_leases", 0);
        out.put("layers_not_updated", r.layersNotUpdated());
        out.put("layers_removed", r.layersRemoved());
        out.put("elapsed", (System.nanoTime() - started) / 1_000_000);
        return out;
    }

    /**
     * Neon's wait_lsn: {@code {"<timeline_id>": "<lsn>", ..., "timeout": {"secs", "nanos"}}}; 200 when
     * every named timeline reached its LSN, 202 when not all did in time, 404 when none is known.
     */
    @PostMapping("/v1/tenant/{tenantShardId}/wait_lsn")
    public ResponseEntity<String> waitLsn(@PathVariable String tenantShardId, @RequestBody Map<String, Object> body)
            throws InterruptedException {
        TenantShard tenant = tenants.active(TenantShardId.parse(tenantShardId));
        java.time.Duration timeout = java.time.Duration.ZERO;
        if (body.get("timeout") instanceof Map<?, ?> t) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) t;
            Long secs = JsonBodies.number(m, "secs");
            Long nanos = JsonBodies.number(m, "nanos");
            timeout = java.time.Duration.ofSeconds(secs == null ? 0 : secs, nanos == null ? 0 : nanos);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean any = false;
        boolean all = true;
        for (var e : body.entrySet()) {
            if (e.getKey().equals("timeout")) {
                continue;
            }
            Timeline t = tenant.findTimeline(TimelineId.parse(e.getKey()));
            if (t == null) {
                continue;
            }
            any = true;
            Lsn lsn = Lsn.parse(String.valueOf(e.getValue()));
            long left = Math.max(0, deadline - System.nanoTime());
            all &= t.waitLsn(lsn, java.time.Duration.ofNanos(left));
        }
        if (!any) {
            throw new ApiError.NotFound("none of the timelines in the request exist in tenant " + tenantShardId);
        }
        return JsonBodies.unit(all ? HttpStatus.OK : HttpStatus.ACCEPTED);
    }

    /**
     * The data directory of Neon's {@code import_pgdata: {"idempotency_key", "location": {"LocalFs":
     * {"path"}}}}; other locations (AwsS3) need object storage, which is not configured.
     */
    private static java.nio.file.Path importPath(Object spec) {
        if (spec instanceof Map<?, ?> m && m.get("location") instanceof Map<?, ?> location) {
            if (location.get("LocalFs") instanceof Map<?, ?> local && local.get("path") instanceof String path) {
                return java.nio.file.Path.of(path);
            }
            throw new ApiError.BadRequest("import_pgdata: only a LocalFs location with a path is supported, got "
                    + location.keySet());
        }
        throw new ApiError.BadRequest("import_pgdata needs {\"idempotency_key\", \"location\": {\"LocalFs\": {\"path\"}}}");
    }

    private Timeline timeline(String tenantShardId, String timelineId) {
        TenantShardId tenantId = TenantShardId.parse(tenantShardId);
        TimelineId id = TimelineId.parse(timelineId);
        return tenants.active(tenantId).timeline(id);
    }
}
