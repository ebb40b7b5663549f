package dev.jneon.controlplane.http;

import dev.jneon.common.service.ApiError;
import dev.jneon.controlplane.provision.Provisioning;
import dev.jneon.controlplane.registry.Registry;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/branches/{id}/roles} and {@code /v1/branches/{id}/databases} (spec E.2). A role's
 * password is answered once, at creation (generated unless given); the registry keeps only its
 * SCRAM verifier. Deletions become delta operations; running computes get {@code /configure}.
 * Stateless.
 */
@RestController
class BranchController {

    private final Registry registry;
    private final Provisioning provisioning;

    BranchController(Registry registry, Provisioning provisioning) {
        this.registry = registry;
        this.provisioning = provisioning;
    }

    record CreateRole(String name, String password) {}

    record CreateDatabase(String name, String owner) {}

    @GetMapping("/v1/branches/{id}/roles")
    List<Map<String, String>> roles(@PathVariable String id) {
        existing(id);
        return registry.roles(id).stream().filter(r -> !r.deleted()).map(r -> Map.of("name", r.name())).toList();
    }

    @PostMapping("/v1/branches/{id}/roles")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> createRole(@PathVariable String id, @RequestBody CreateRole body) {
        String password = provisioning.putRole(id, body.name(), body.password());
        return Map.of("name", body.name(), "password", password);
    }

    @DeleteMapping("/v1/branches/{id}/roles/{name}")
    void deleteRole(@PathVariable String id, @PathVariable String name) {
        provisioning.deleteRole(id, name);
    }

    @GetMapping("/v1/branches/{id}/databases")
    List<Map<String, String>> databases(@PathVariable String id) {
        existing(id);
        return registry.databases(id).stream().filter(d -> !d.deleted())
                .map(d -> Map.of("name", d.name(), "owner", d.owner())).toList();
    }

    @PostMapping("/v1/branches/{id}/databases")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> createDatabase(@PathVariable String id, @RequestBody CreateDatabase body) {
        provisioning.putDatabase(id, body.name(), body.owner());
        return Map.of("name", body.name(), "owner", body.owner());
    }

    @DeleteMapping("/v1/branches/{id}/databases/{name}")
    void deleteDatabase(@PathVariable String id, @PathVariable String name) {
        provisioning.deleteDatabase(id, name);
    }

    private void existing(String id) {
        registry.branch(id).orElseThrow(() -> new ApiError.NotFound("branch " + id + " not found"));
    }
}
