package dev.jneon.pageserver.http;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.basebackup.BasebackupCompression;
import dev.jneon.pageserver.basebackup.BasebackupLsn;
import dev.jneon.pageserver.basebackup.Basebackups;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /v1/tenant/{tenant_shard_id}/timeline/{timeline_id}/basebackup?lsn=&compression=&replica=}
 * for tools: the basebackup tar as the response body (compression none, gzip or zstd; lsn absent =
 * latest; replica true allows an LSN before the end of the WAL). The LSN is resolved and waited for
 * before the response starts, so refusals are 4xx/503 {@code {"msg"}}. Stateless; thread-safe.
 */
@RestController
public class BasebackupApi {

    private final Tenants tenants;
    private final Basebackups basebackups;

    public BasebackupApi(Tenants tenants, Basebackups basebackups) {
        this.tenants = tenants;
        this.basebackups = basebackups;
    }

    @GetMapping("/v1/tenant/{tenantShardId}/timeline/{timelineId}/basebackup")
    public ResponseEntity<StreamingResponseBody> basebackup(@PathVariable String tenantShardId,
            @PathVariable String timelineId, @RequestParam(required = false) String lsn,
            @RequestParam(required = false) String compression, @RequestParam(defaultValue = "false") boolean replica)
            throws InterruptedException {
        long started = System.nanoTime();
        Timeline timeline = tenants.active(TenantShardId.parse(tenantShardId)).timeline(TimelineId.parse(timelineId));
        BasebackupCompression format = BasebackupCompression.parse(compression);
        Lsn requested;
        try {
            requested = lsn == null || lsn.isEmpty() ? Lsn.INVALID : Lsn.parse(lsn);
        } catch (IllegalArgumentException e) {
            throw new ApiError.BadRequest("malformed lsn '" + lsn + "': " + e.getMessage());
        }
        BasebackupLsn at = basebackups.resolve(timeline, requested, replica);
        StreamingResponseBody body = out -> basebackups.stream(timeline, at, format, out, started);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(format.mediaType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"basebackup-" + at.lsn().toHex16() + ".tar"
                        + switch (format) {
                            case NONE -> "";
                            case GZIP -> ".gz";
                            case ZSTD -> ".zst";
                        } + "\"")
                .body(body);
    }
}
