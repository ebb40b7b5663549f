package dev.jneon.controlplane.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.controlplane.registry.Branch;
import dev.jneon.controlplane.registry.Endpoint;
import dev.jneon.controlplane.registry.Project;
import java.time.Instant;
import java.util.List;

/** JSON bodies of the admin API (E.2), converted from registry records at the edge. Immutable. */
final class Views {

    private Views() {
    }

    record ProjectView(String id, @JsonProperty("tenant_id") String tenantId, @JsonProperty("pg_version") int pgVersion,
            @JsonProperty("default_endpoint_id") String defaultEndpointId, List<BranchView> branches) {

        static ProjectView of(Project p, List<Branch> branches) {
            return new ProjectView(p.id(), p.tenant().toString(), p.pgVersion(), p.defaultEndpointId(),
                    branches.stream().map(BranchView::of).toList());
        }
    }

    record BranchView(String id, @JsonProperty("project_id") String projectId, String name,
            @JsonProperty("timeline_id") String timelineId, @JsonProperty("parent_id") String parentId) {

        static BranchView of(Branch b) {
            return new BranchView(b.id(), b.projectId(), b.name(), b.timeline().toString(), b.parentId());
        }
    }

    record EndpointView(String id, @JsonProperty("project_id") String projectId,
            @JsonProperty("branch_id") String branchId, String mode,
            @JsonProperty("suspend_timeout_seconds") long suspendTimeoutSeconds, boolean autoprewarm,
            @JsonProperty("allowed_ips") List<String> allowedIps, boolean disabled, String state, String host,
            @JsonProperty("pg_port") int pgPort, @JsonProperty("http_port") int httpPort,
            @JsonProperty("compute_id") String computeId, Long pid, @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("last_active") Instant lastActive, @JsonProperty("last_error") String lastError) {

        static EndpointView of(Endpoint e) {
            return new EndpointView(e.id(), e.projectId(), e.branchId(), "primary", e.suspendTimeoutSeconds(),
                    e.autoprewarm(), e.allowedIps(), e.disabled(), e.state().jsonName(), e.host(), e.pgPort(),
                    e.httpPort(), e.computeId(), e.pid(), e.startedAt(), e.lastActive(), e.lastError());
        }
    }
}
