package dev.jneon.proxy.cplane;

import dev.jneon.common.service.ApiError;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/invalidate?endpoint=<id>[&role=<name>]} on the proxy's HTTP port ([jneon] B.8 v1 push
 * invalidation): the control plane calls it when it suspends or changes an endpoint, so the next connection asks
 * it again instead of trying a cached address or secret. Without {@code role} every cached answer of the
 * endpoint goes; with it, that role's secret and the endpoint's addresses. Answers
 * {@code {"endpoint": ..., "role": ...}}. Thread-safe (the caches are).
 */
@RestController
@ConditionalOnProperty("jneon.proxy.auth-endpoint")
public class InvalidationController {

    private final CachingControlPlane controlPlane;

    public InvalidationController(CachingControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    @PostMapping("/v1/invalidate")
    public Map<String, String> invalidate(@RequestParam String endpoint,
            @RequestParam(required = false) String role) {
        EndpointId id;
        try {
            id = new EndpointId(endpoint);
        } catch (IllegalArgumentException e) {
            throw new ApiError.BadRequest(e.getMessage());
        }
        controlPlane.nodeCache().invalidateEndpoint(id);
        if (role == null) {
            controlPlane.projectCache().invalidateEndpoint(id);
        } else {
            controlPlane.projectCache().invalidateRole(id, role);
        }
        return role == null ? Map.of("endpoint", id.value()) : Map.of("endpoint", id.value(), "role", role);
    }
}
