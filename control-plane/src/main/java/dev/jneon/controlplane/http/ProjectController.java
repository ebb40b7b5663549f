package dev.jneon.controlplane.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.service.ApiError;
import dev.jneon.controlplane.http.Views.BranchView;
import dev.jneon.controlplane.http.Views.ProjectView;
import dev.jneon.controlplane.provision.Provisioning;
import dev.jneon.controlplane.registry.Registry;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/projects} and {@code /v1/projects/{id}/branches} (spec E.2). Creating a project
 * attaches a tenant and bootstraps branch {@code main}; creating a branch branches a timeline.
 * Stateless.
 */
@RestController
class ProjectController {

    private final Registry registry;
    private final Provisioning provisioning;

    ProjectController(Registry registry, Provisioning provisioning) {
        this.registry = registry;
        this.provisioning = provisioning;
    }

    record CreateProject(String id, @JsonProperty("pg_version") Integer pgVersion) {}

    record CreateBranch(String name, String parent, String lsn) {}

    @PostMapping("/v1/projects")
    @ResponseStatus(HttpStatus.CREATED)
    ProjectView create(@RequestBody CreateProject body) {
        var p = provisioning.createProject(body.id(), body.pgVersion() == null ? 15 : body.pgVersion());
        return ProjectView.of(p, registry.branches(p.id()));
    }

    @GetMapping("/v1/projects")
    List<ProjectView> list() {
        return registry.projects().stream().map(p -> ProjectView.of(p, registry.branches(p.id()))).toList();
    }

    @GetMapping("/v1/projects/{id}")
    ProjectView get(@PathVariable String id) {
        var p = registry.project(id).orElseThrow(() -> new ApiError.NotFound("project " + id + " not found"));
        return ProjectView.of(p, registry.branches(id));
    }

    @DeleteMapping("/v1/projects/{id}")
    void delete(@PathVariable String id) {
        provisioning.deleteProject(id);
    }

    @PostMapping("/v1/projects/{id}/branches")
    @ResponseStatus(HttpStatus.CREATED)
    BranchView createBranch(@PathVariable String id, @RequestBody CreateBranch body) {
        if (body.name() == null) {
            throw new ApiError.BadRequest("branch name is required");
        }
        return BranchView.of(provisioning.createBranch(id, body.name(), body.parent(),
                body.lsn() == null ? null : Lsn.parse(body.lsn())));
    }

    @GetMapping("/v1/projects/{id}/branches")
    List<BranchView> branches(@PathVariable String id) {
        return get(id).branches();
    }
}
