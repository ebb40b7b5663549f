package dev.jneon.controlplane.compute;

import dev.jneon.controlplane.ControlPlaneProperties;
import dev.jneon.controlplane.registry.Branch;
import dev.jneon.controlplane.registry.Database;
import dev.jneon.controlplane.registry.Endpoint;
import dev.jneon.controlplane.registry.Project;
import dev.jneon.controlplane.registry.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the ComputeConfig document (spec A.2) of an endpoint's compute: a primary on its branch's
 * timeline, the stack's pageserver (gRPC) and safekeepers, the branch's live roles (SCRAM verifiers)
 * and databases, and {@code delete_role}/{@code delete_db} operations for the ones the user deleted
 * (a compute starts from storage, which still holds them; compute-ctl skips absent ones). Endpoint
 * storage address and token only when configured. Immutable; thread-safe.
 */
public final class ComputeSpecs {

    private final ControlPlaneProperties.Storage storage;
    private final EndpointStorageTokens endpointStorage;

    public ComputeSpecs(ControlPlaneProperties.Storage storage, EndpointStorageTokens endpointStorage) {
        this.storage = storage;
        this.endpointStorage = endpointStorage;
    }

    public Map<String, Object> config(Project project, Branch branch, Endpoint endpoint, List<Role> roles,
            List<Database> databases) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("format_version", 1.0);
        spec.put("suspend_timeout_seconds", endpoint.suspendTimeoutSeconds());
        spec.put("tenant_id", project.tenant().toString());
        spec.put("timeline_id", branch.timeline().toString());
        spec.put("project_id", project.id());
        spec.put("branch_id", branch.id());
        spec.put("endpoint_id", endpoint.id());
        spec.put("mode", "Primary");
        String grpc = "grpc://" + storage.pageserverGrpc();
        spec.put("pageserver_connection_info", Map.of("shard_count", 0, "prefer_protocol", "Grpc",
                "shards", Map.of("0000", Map.of("pageservers", List.of(Map.of("id", storage.pageserverId(),
                        "grpc_url", grpc))))));
        spec.put("pageserver_connstring", grpc);
        spec.put("safekeeper_connstrings", storage.safekeeperGrpc());
        spec.put("autoprewarm", endpoint.autoprewarm());
        endpointStorage.address().ifPresent(addr -> {
            spec.put("endpoint_storage_addr", addr);
            spec.put("endpoint_storage_token", endpointStorage.token(project.tenant(), branch.timeline(),
                    endpoint.id()));
        });
        var deltas = new ArrayList<Map<String, Object>>();
        var liveRoles = new ArrayList<Map<String, Object>>();
        for (Role r : roles) {
            if (r.deleted()) {
                deltas.add(Map.of("action", "delete_role", "name", r.name()));
            } else {
                var role = new LinkedHashMap<String, Object>();
                role.put("name", r.name());
                role.put("encrypted_password", r.secret());
                role.put("options", null);
                liveRoles.add(role);
            }
        }
        var liveDatabases = new ArrayList<Map<String, Object>>();
        for (Database d : databases) {
            if (d.deleted()) {
                deltas.add(Map.of("action", "delete_db", "name", d.name()));
            } else {
                var db = new LinkedHashMap<String, Object>();
                db.put("name", d.name());
                db.put("owner", d.owner());
                db.put("options", null);
                liveDatabases.add(db);
            }
        }
        spec.put("cluster", Map.of("roles", liveRoles, "databases", liveDatabases, "settings", List.of()));
        spec.put("delta_operations", deltas);
        var tls = new LinkedHashMap<String, Object>();
        tls.put("jwks", Map.of("keys", List.of()));
        tls.put("tls", null);
        var config = new LinkedHashMap<String, Object>();
        config.put("spec", spec);
        config.put("compute_ctl_config", tls);
        return config;
    }
}
