package dev.jneon.controlplane.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.service.ApiError;
import dev.jneon.controlplane.ControlPlaneProperties;
import dev.jneon.controlplane.lifecycle.EndpointLifecycle;
import dev.jneon.controlplane.registry.Endpoint;
import dev.jneon.controlplane.registry.Registry;
import dev.jneon.controlplane.registry.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API the proxy calls (spec B.7), under {@code /proxy/v1}: {@code wake_compute},
 * {@code get_endpoint_access_control}, {@code endpoints/{id}/jwks}. {@code endpointish} is an
 * endpoint id, {@code <id>-pooler} (same compute: no pooler runs) or a project id (its default
 * endpoint). Errors use {@link ProxyError}'s shape. Stateless.
 */
@RestController
class ProxyController {

    private static final long RETRY_DELAY_MS = 1000;

    private final Registry registry;
    private final EndpointLifecycle lifecycle;
    private final ControlPlaneProperties properties;

    ProxyController(Registry registry, EndpointLifecycle lifecycle, ControlPlaneProperties properties) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.properties = properties;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WakeAnswer(String address, Aux aux) {}

    record Aux(@JsonProperty("endpoint_id") String endpointId, @JsonProperty("project_id") String projectId,
            @JsonProperty("branch_id") String branchId, @JsonProperty("compute_id") String computeId,
            @JsonProperty("cold_start_info") String coldStartInfo) {}

    record AccessControl(@JsonProperty("role_secret") String roleSecret, @JsonProperty("project_id") String projectId,
            @JsonProperty("allowed_ips") List<String> allowedIps,
            @JsonProperty("block_public_connections") boolean blockPublicConnections) {}

    @GetMapping("/proxy/v1/wake_compute")
    ResponseEntity<?> wakeCompute(@RequestParam String endpointish, @RequestParam Map<String, String> query)
            throws InterruptedException {
        if (query.keySet().stream().anyMatch(k -> k.startsWith("options"))) {
            return ProxyError.badRequest("endpoint options (" + String.join(", ", query.keySet().stream()
                    .filter(k -> k.startsWith("options")).toList()) + ") are not supported");
        }
        Optional<Endpoint> found = resolve(endpointish);
        if (found.isEmpty()) {
            return ProxyError.notFound(endpointish);
        }
        Endpoint e = found.get();
        if (e.disabled()) {
            return ProxyError.disabled(e.id());
        }
        EndpointLifecycle.Running running;
        try {
            running = lifecycle.wake(e.id()).get(properties.wakeHold().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillStarting) {
            return ProxyError.stillStarting(e.id(), RETRY_DELAY_MS);
        } catch (ExecutionException failed) {
            return switch (failed.getCause()) {
                case ApiError.NotFound gone -> ProxyError.notFound(endpointish);
                case ApiError.PreconditionFailed off -> ProxyError.disabled(e.id());
                case Throwable other -> ProxyError.startFailed(other.getMessage());
            };
        }
        Endpoint now = running.endpoint();
        return ResponseEntity.ok(new WakeAnswer(now.address(), new Aux(now.id(), now.projectId(), now.branchId(),
                now.computeId(), running.coldStart().jsonName())));
    }

    @GetMapping("/proxy/v1/get_endpoint_access_control")
    ResponseEntity<?> accessControl(@RequestParam String endpointish, @RequestParam String role) {
        Optional<Endpoint> found = resolve(endpointish);
        if (found.isEmpty()) {
            return ProxyError.notFound(endpointish);
        }
        Endpoint e = found.get();
        String secret = registry.role(e.branchId(), role).map(Role::secret).orElse("");
        return ResponseEntity.ok(new AccessControl(secret, e.projectId(), e.allowedIps(), false));
    }

    @GetMapping("/proxy/v1/endpoints/{id}/jwks")
    ResponseEntity<?> jwks(@PathVariable String id) {
        if (resolve(id).isEmpty()) {
            return ProxyError.notFound(id);
        }
        return ResponseEntity.ok(Map.of("jwks", List.of()));
    }

    private Optional<Endpoint> resolve(String endpointish) {
        Optional<Endpoint> direct = registry.endpoint(endpointish);
        if (direct.isPresent()) {
            return direct;
        }
        if (endpointish.endsWith("-pooler")) {
            return registry.endpoint(endpointish.substring(0, endpointish.length() - "-pooler".length()));
        }
        return registry.project(endpointish).flatMap(p -> Optional.ofNullable(p.defaultEndpointId()))
                .flatMap(registry::endpoint);
    }
}
