package dev.jneon.controlplane.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.service.ApiError;
import dev.jneon.controlplane.compute.ComputeCtlClient;
import dev.jneon.controlplane.http.Views.EndpointView;
import dev.jneon.controlplane.lifecycle.EndpointLifecycle;
import dev.jneon.controlplane.provision.Provisioning;
import dev.jneon.controlplane.registry.Branch;
import dev.jneon.controlplane.registry.Endpoint;
import dev.jneon.controlplane.registry.Registry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/endpoints} (spec E.2): CRUD, {@code start|stop|suspend|restart} (start and restart
 * block until the compute runs; a failed start is 500) and {@code status}. Stateless.
 */
@RestController
class EndpointController {

    private final Registry registry;
    private final Provisioning provisioning;
    private final EndpointLifecycle lifecycle;
    private final ComputeCtlClient ctl;

    EndpointController(Registry registry, Provisioning provisioning, EndpointLifecycle lifecycle,
            ComputeCtlClient ctl) {
        this.registry = registry;
        this.provisioning = provisioning;
        this.lifecycle = lifecycle;
        this.ctl = ctl;
    }

    /** Body of create (id, branch_id or project_id) and PATCH (settings only). */
    record EndpointBody(String id, @JsonProperty("branch_id") String branchId,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("suspend_timeout_seconds") Long suspendTimeoutSeconds, Boolean autoprewarm,
            @JsonProperty("allowed_ips") List<String> allowedIps, Boolean disabled) {

        Provisioning.EndpointSettings settings() {
            return new Provisioning.EndpointSettings(suspendTimeoutSeconds, autoprewarm, allowedIps, disabled);
        }
    }

    @PostMapping("/v1/endpoints")
    @ResponseStatus(HttpStatus.CREATED)
    EndpointView create(@RequestBody EndpointBody body) {
        String branchId = body.branchId();
        if (branchId == null) {
            if (body.projectId() == null) {
                throw new ApiError.BadRequest("branch_id or project_id is required");
            }
            branchId = registry.branchByName(body.projectId(), "main").map(Branch::id)
                    .orElseThrow(() -> new ApiError.NotFound("project " + body.projectId() + " not found"));
        }
        return EndpointView.of(provisioning.createEndpoint(body.id(), branchId, body.settings()));
    }

    @GetMapping("/v1/endpoints")
    List<EndpointView> list() {
        return registry.endpoints().stream().map(EndpointView::of).toList();
    }

    @GetMapping("/v1/endpoints/{id}")
    EndpointView get(@PathVariable String id) {
        return EndpointView.of(endpoint(id));
    }

    @PatchMapping("/v1/endpoints/{id}")
    EndpointView update(@PathVariable String id, @RequestBody EndpointBody body) {
        if (body.id() != null || body.branchId() != null || body.projectId() != null) {
            throw new ApiError.BadRequest("an endpoint's id, branch and project cannot change");
        }
        return EndpointView.of(provisioning.updateEndpoint(id, body.settings()));
    }

    @DeleteMapping("/v1/endpoints/{id}")
    void delete(@PathVariable String id) {
        provisioning.deleteEndpoint(id);
    }

    @PostMapping("/v1/endpoints/{id}/start")
    EndpointView start(@PathVariable String id) {
        if (endpoint(id).disabled()) {
            throw new ApiError.PreconditionFailed("endpoint " + id + " is disabled");
        }
        return EndpointView.of(lifecycle.start(id).endpoint());
    }

    @PostMapping("/v1/endpoints/{id}/stop")
    EndpointView stop(@PathVariable String id) {
        lifecycle.stop(id);
        return get(id);
    }

    @PostMapping("/v1/endpoints/{id}/suspend")
    EndpointView suspend(@PathVariable String id) {
        lifecycle.suspend(id);
        return get(id);
    }

    @PostMapping("/v1/endpoints/{id}/restart")
    EndpointView restart(@PathVariable String id) {
        lifecycle.stop(id);
        return start(id);
    }

    /** The endpoint's state and, while it has a compute, what compute-ctl's {@code /status} says. */
    @GetMapping("/v1/endpoints/{id}/status")
    Map<String, Object> status(@PathVariable String id) {
        Endpoint e = endpoint(id);
        var body = new LinkedHashMap<String, Object>();
        body.put("id", e.id());
        body.put("state", e.state().jsonName());
        body.put("address", e.address());
        body.put("compute_id", e.computeId());
        body.put("last_active", e.lastActive());
        body.put("last_error", e.lastError());
        body.put("compute", e.pid() == null ? null : ctl.status(e.computeApi()).map(s -> {
            var compute = new LinkedHashMap<String, Object>();
            compute.put("status", s.status());
            compute.put("start_time", s.startTime());
            compute.put("last_active", s.lastActive());
            compute.put("error", s.error());
            return compute;
        }).orElse(null));
        return body;
    }

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<Map<String, String>> startFailed(CompletionException e) {
        int status = e.getCause() instanceof ApiError api ? api.httpStatus() : 500;
        return ResponseEntity.status(status).body(Map.of("msg",
                String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage())));
    }

    private Endpoint endpoint(String id) {
        return registry.endpoint(id).orElseThrow(() -> new ApiError.NotFound("endpoint " + id + " not found"));
    }
}
