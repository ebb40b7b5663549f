package dev.jneon.controlplane.provision;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.controlplane.ControlPlaneProperties;
import dev.jneon.controlplane.client.StorageClient;
import dev.jneon.controlplane.lifecycle.EndpointLifecycle;
import dev.jneon.controlplane.registry.Branch;
import dev.jneon.controlplane.registry.Database;
import dev.jneon.controlplane.registry.Endpoint;
import dev.jneon.controlplane.registry.EndpointState;
import dev.jneon.controlplane.registry.Ids;
import dev.jneon.controlplane.registry.Project;
import dev.jneon.controlplane.registry.Registry;
import dev.jneon.controlplane.registry.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Creates and deletes what the registry describes, in storage first and then in the registry:
 * a project is a tenant attached on the pageserver plus its bootstrap timeline {@code main} on the
 * pageserver and every safekeeper; a branch is a timeline branched on the pageserver and created on
 * the safekeepers at the branch point; an endpoint gets stable ports from the configured range.
 * Role and database changes reach running computes through {@link EndpointLifecycle#reconfigure}.
 *
 * <p>Thread-safe; creations that pick ports are serialized by one lock.
 */
public final class Provisioning {

    private final Registry registry;
    private final StorageClient storage;
    private final EndpointLifecycle lifecycle;
    private final ControlPlaneProperties properties;
    private final ReentrantLock portLock = new ReentrantLock();

    public Provisioning(Registry registry, StorageClient storage, EndpointLifecycle lifecycle,
            ControlPlaneProperties properties) {
        this.registry = registry;
        this.storage = storage;
        this.lifecycle = lifecycle;
        this.properties = properties;
    }

    /** What a new endpoint may set; nulls take the defaults. */
    public record EndpointSettings(Long suspendTimeoutSeconds, Boolean autoprewarm, List<String> allowedIps,
            Boolean disabled) {}

    public Project createProject(String id, int pgVersion) {
        String projectId = id == null ? Ids.generate("p") : Ids.check("project", id);
        if (registry.project(projectId).isPresent()) {
            throw new ApiError.Conflict("project " + projectId + " already exists");
        }
        var project = new Project(projectId, TenantId.generate(), pgVersion, null);
        TimelineId timeline = TimelineId.generate();
        storage.attachTenant(project.tenant());
        storage.bootstrapTimeline(project.tenant(), timeline, pgVersion);
        registry.insertProject(project);
        registry.insertBranch(new Branch(Ids.generate("br"), projectId, "main", timeline, null));
        return project;
    }

    /** Stops the project's computes, deletes its tenant from the safekeepers and the pageserver, forgets it. */
    public void deleteProject(String id) {
        Project project = project(id);
        for (Branch b : registry.branches(id)) {
            for (Endpoint e : registry.endpointsOfBranch(b.id())) {
                lifecycle.discard(e.id());
            }
        }
        storage.deleteTenant(project.tenant());
        registry.deleteProject(id);
    }

    public Branch createBranch(String projectId, String name, String parentName, Lsn lsn) {
        Project project = project(projectId);
        if (registry.branchByName(projectId, name).isPresent()) {
            throw new ApiError.Conflict("branch '" + name + "' already exists in project " + projectId);
        }
        Branch parent = registry.branchByName(projectId, parentName == null ? "main" : parentName)
                .orElseThrow(() -> new ApiError.NotFound("parent branch '" + parentName + "' not found"));
        var branch = new Branch(Ids.generate("br"), projectId, name, TimelineId.generate(), parent.id());
        storage.branchTimeline(project.tenant(), branch.timeline(), parent.timeline(), lsn);
        registry.insertBranch(branch);
        return branch;
    }

    public Endpoint createEndpoint(String id, String branchId, EndpointSettings s) {
        String endpointId = id == null ? Ids.generate("ep") : Ids.check("endpoint", id);
        Branch branch = branch(branchId);
        long timeout = s.suspendTimeoutSeconds() == null || s.suspendTimeoutSeconds() == 0
                ? properties.suspend().defaultTimeoutSeconds() : s.suspendTimeoutSeconds();
        portLock.lock();
        try {
            if (registry.endpoint(endpointId).isPresent()) {
                throw new ApiError.Conflict("endpoint " + endpointId + " already exists");
            }
            if (!registry.endpointsOfBranch(branchId).isEmpty()) {
                throw new ApiError.Conflict("branch " + branchId + " already has a primary endpoint");
            }
            int[] ports = freePorts(registry.usedPorts());
            var endpoint = new Endpoint(endpointId, branch.projectId(), branchId, timeout,
                    Boolean.TRUE.equals(s.autoprewarm()), s.allowedIps() == null ? List.of() : s.allowedIps(),
                    Boolean.TRUE.equals(s.disabled()), EndpointState.IDLE, "127.0.0.1", ports[0], ports[1], null, null,
                    null, null, null);
            registry.insertEndpoint(endpoint);
            Project project = project(branch.projectId());
            if (project.defaultEndpointId() == null) {
                registry.setDefaultEndpoint(project.id(), endpointId);
            }
            return endpoint;
        } finally {
            portLock.unlock();
        }
    }

    /** Applies changed settings; a running compute gets the new spec. */
    public Endpoint updateEndpoint(String id, EndpointSettings s) {
        Endpoint old = endpoint(id);
        var updated = new Endpoint(old.id(), old.projectId(), old.branchId(),
                s.suspendTimeoutSeconds() == null ? old.suspendTimeoutSeconds() : s.suspendTimeoutSeconds(),
                s.autoprewarm() == null ? old.autoprewarm() : s.autoprewarm(),
                s.allowedIps() == null ? old.allowedIps() : s.allowedIps(),
                s.disabled() == null ? old.disabled() : s.disabled(), old.state(), old.host(), old.pgPort(),
                old.httpPort(), old.computeId(), old.pid(), old.startedAt(), old.lastActive(), old.lastError());
        registry.updateSettings(updated);
        if (updated.disabled() && !old.disabled()) {
            lifecycle.stop(id);
        } else {
            lifecycle.reconfigure(id);
        }
        return endpoint(id);
    }

    public void deleteEndpoint(String id) {
        endpoint(id);
        lifecycle.discard(id);
        registry.deleteEndpoint(id);
    }

    /** Creates or replaces a role; returns its password (generated when {@code password} is null). */
    public String putRole(String branchId, String name, String password) {
        branch(branchId);
        String pw = password == null ? RoleSecrets.generatePassword() : password;
        if (pw.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        registry.putRole(new Role(branchId, name, RoleSecrets.verifier(pw), false));
        reconfigureBranch(branchId);
        return pw;
    }

    public void deleteRole(String branchId, String name) {
        branch(branchId);
        if (registry.databases(branchId).stream().anyMatch(d -> !d.deleted() && d.owner().equals(name))) {
            throw new ApiError.PreconditionFailed("role " + name + " still owns databases of branch " + branchId);
        }
        if (!registry.deleteRole(branchId, name)) {
            throw new ApiError.NotFound("role " + name + " not found in branch " + branchId);
        }
        reconfigureBranch(branchId);
    }

    public void putDatabase(String branchId, String name, String owner) {
        branch(branchId);
        if (registry.role(branchId, owner).isEmpty()) {
            throw new ApiError.BadRequest("owner role " + owner + " does not exist in branch " + branchId);
        }
        registry.putDatabase(new Database(branchId, name, owner, false));
        reconfigureBranch(branchId);
    }

    public void deleteDatabase(String branchId, String name) {
        branch(branchId);
        if (!registry.deleteDatabase(branchId, name)) {
            throw new ApiError.NotFound("database " + name + " not found in branch " + branchId);
        }
        reconfigureBranch(branchId);
    }

    private void reconfigureBranch(String branchId) {
        for (Endpoint e : registry.endpointsOfBranch(branchId)) {
            lifecycle.reconfigure(e.id());
        }
    }

    /** Two ports of the range that no endpoint holds and that are free on loopback now. */
    private int[] freePorts(Set<Integer> used) {
        var compute = properties.compute();
        int[] found = new int[2];
        int n = 0;
        for (int port = compute.firstPort(); port < compute.firstPort() + compute.portCount() && n < 2; port++) {
            if (!used.contains(port) && bindable(port)) {
                found[n++] = port;
            }
        }
        if (n < 2) {
            throw new ApiError.Unavailable("no free compute ports left in " + compute.firstPort() + ".."
                    + (compute.firstPort() + compute.portCount() - 1));
        }
        return found;
    }

    private static boolean bindable(int port) {
        try (var s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private Project project(String id) {
        return registry.project(id).orElseThrow(() -> new ApiError.NotFound("project " + id + " not found"));
    }

    private Branch branch(String id) {
        return registry.branch(id).orElseThrow(() -> new ApiError.NotFound("branch " + id + " not found"));
    }

    private Endpoint endpoint(String id) {
        return registry.endpoint(id).orElseThrow(() -> new ApiError.NotFound("endpoint " + id + " not found"));
    }
}
