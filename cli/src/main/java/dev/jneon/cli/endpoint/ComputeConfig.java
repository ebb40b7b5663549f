package dev.jneon.cli.endpoint;

import dev.jneon.cli.stack.Stack;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ComputeConfig JSON (spec A.2) an endpoint's compute-ctl starts from: no roles or databases
 * beyond the bootstrap ones, never suspended, the stack's pageserver (gRPC) and safekeepers; when
 * the stack runs endpoint storage, its address and a freshly minted 24 h token
 * ({@link EndpointStorageToken}), plus the endpoint's {@code autoprewarm} and
 * {@code offload_lfc_interval_seconds} (spec D).
 */
final class ComputeConfig {

    private ComputeConfig() {
    }

    static Map<String, Object> of(Endpoint e, Stack stack) {
        var spec = new LinkedHashMap<String, Object>();
        spec.put("format_version", 1.0);
        spec.put("suspend_timeout_seconds", -1);
        spec.put("tenant_id", e.tenant().toString());
        spec.put("timeline_id", e.timeline().toString());
        spec.put("endpoint_id", e.name());
        spec.put("mode", e.isStatic() ? Map.of("Static", e.lsn().toString()) : "Primary");
        String grpc = "grpc://" + stack.pageserver().grpcAddress();
        spec.put("pageserver_connection_info", Map.of("shard_count", 0, "prefer_protocol", "Grpc",
                "shards", Map.of("0000", Map.of("pageservers", List.of(Map.of("id", stack.pageserver().id(),
                        "grpc_url", grpc))))));
        spec.put("pageserver_connstring", grpc);
        spec.put("safekeeper_connstrings", stack.safekeepers().stream().map(Stack.Service::grpcAddress).toList());
        if (stack.endpointStorage() != null) {
            spec.put("endpoint_storage_addr", "127.0.0.1:" + stack.endpointStorage().httpPort());
            spec.put("endpoint_storage_token", EndpointStorageToken.mint(EndpointStorageToken.privateKey(stack.dir()), e,
                    Instant.now()));
        }
        spec.put("autoprewarm", e.autoprewarm());
        if (e.offloadIntervalSeconds() != null) {
            spec.put("offload_lfc_interval_seconds", e.offloadIntervalSeconds());
        }
        spec.put("cluster", Map.of("roles", List.of(), "databases", List.of(), "settings", List.of()));
        var config = new LinkedHashMap<String, Object>();
        config.put("spec", spec);
        config.put("compute_ctl_config", Map.of("jwks", Map.of("keys", List.of())));
        return config;
    }
}
