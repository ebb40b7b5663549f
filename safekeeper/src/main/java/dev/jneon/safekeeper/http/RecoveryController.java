package dev.jneon.safekeeper.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.safekeeper.recovery.PullTimeline;
import dev.jneon.safekeeper.recovery.TimelineSnapshot;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.Timelines;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Copying a timeline between safekeepers (spec I): {@code POST /v1/pull_timeline}
 * {@code {tenant_id, timeline_id, http_hosts: [url]}} → {@code {"safekeeper_host": url | null}}
 * (null: it exists here already; 503 when too few peers answer or the copy fails; 409 when the
 * timeline was deleted here), and the source side, {@code GET .../snapshot/{dest_id}}, which
 * streams a {@link TimelineSnapshot} ({@code application/octet-stream}). Stateless; thread-safe.
 */
@RestController
public class RecoveryController {

    private static final Logger log = LoggerFactory.getLogger(RecoveryController.class);

    private final Timelines timelines;
    private final PullTimeline pull;

    public RecoveryController(Timelines timelines, PullTimeline pull) {
        this.timelines = timelines;
        this.pull = pull;
    }

    record PullRequest(@JsonProperty("tenant_id") TenantId tenantId, @JsonProperty("timeline_id") TimelineId timelineId,
            @JsonProperty("http_hosts") List<String> httpHosts) {}

    record PullResponse(@JsonProperty("safekeeper_host") String safekeeperHost) {}

    @PostMapping("/v1/pull_timeline")
    public PullResponse pullTimeline(@RequestBody PullRequest request) {
        if (request.tenantId() == null || request.timelineId() == null || request.httpHosts() == null) {
            throw new ApiError.BadRequest("pull_timeline needs tenant_id, timeline_id and http_hosts");
        }
        List<URI> hosts;
        try {
            hosts = request.httpHosts().stream().map(URI::create).toList();
        } catch (IllegalArgumentException e) {
            throw new ApiError.BadRequest("malformed http_hosts: " + e.getMessage());
        }
        var ttid = new TenantTimelineId(request.tenantId(), request.timelineId());
        return new PullResponse(pull.pull(ttid, hosts).map(URI::toString).orElse(null));
    }

    @GetMapping("/v1/tenant/{tenantId}/timeline/{timelineId}/snapshot/{destId}")
    public void snapshot(@PathVariable String tenantId, @PathVariable String timelineId, @PathVariable String destId,
            HttpServletResponse response) throws IOException {
        var ttid = new TenantTimelineId(TenantId.parse(tenantId), TimelineId.parse(timelineId));
        NodeId dest = NodeId.parse(destId);
        Timeline t = timelines.get(ttid).orElseThrow(() -> new ApiError.NotFound("timeline " + ttid + " not found"));
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        log.info("sending a snapshot of timeline {} to safekeeper {}", ttid, dest);
        TimelineSnapshot.send(t, response.getOutputStream());
    }
}
