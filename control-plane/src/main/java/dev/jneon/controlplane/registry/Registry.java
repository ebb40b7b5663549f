package dev.jneon.controlplane.registry;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The control plane's registry in its PostgreSQL database (tables of {@link RegistrySchema}):
 * projects, branches, endpoints with their lifecycle state, roles and databases. Every method is one
 * statement in auto-commit mode; callers serialize what must not interleave (an endpoint's
 * transitions are serialized by the lifecycle's per-endpoint lock). Thread-safe.
 */
public final class Registry {

    private static final String ENDPOINT_COLUMNS = "id, project_id, branch_id, suspend_timeout_seconds, autoprewarm,"
            + " allowed_ips, disabled, state, host, pg_port, http_port, compute_id, pid, started_at, last_active,"
            + " last_error";

    private final JdbcClient db;

    public Registry(JdbcClient db) {
        this.db = db;
    }

    // ---- projects

    public void insertProject(Project p) {
        db.sql("insert into projects (id, tenant_id, pg_version, default_endpoint_id) values (?, ?, ?, ?)")
                .params(p.id(), p.tenant().toString(), p.pgVersion(), p.defaultEndpointId()).update();
    }

    public Optional<Project> project(String id) {
        return db.sql("select id, tenant_id, pg_version, default_endpoint_id from projects where id = ?").param(id)
                .query(Registry::project).optional();
    }

    public List<Project> projects() {
        return db.sql("select id, tenant_id, pg_version, default_endpoint_id from projects order by created_at, id")
                .query(Registry::project).list();
    }

    public void setDefaultEndpoint(String projectId, String endpointId) {
        db.sql("update projects set default_endpoint_id = ? where id = ?").params(endpointId, projectId).update();
    }

    public void deleteProject(String id) {
        db.sql("delete from projects where id = ?").param(id).update();
    }

    private static Project project(ResultSet rs, int row) throws SQLException {
        return new Project(rs.getString(1), TenantId.parse(rs.getString(2)), rs.getInt(3), rs.getString(4));
    }

    // ---- branches

    public void insertBranch(Branch b) {
        db.sql("insert into branches (id, project_id, name, timeline_id, parent_id) values (?, ?, ?, ?, ?)")
                .params(b.id(), b.projectId(), b.name(), b.timeline().toString(), b.parentId()).update();
    }

    public Optional<Branch> branch(String id) {
        return db.sql("select id, project_id, name, timeline_id, parent_id from branches where id = ?").param(id)
                .query(Registry::branch).optional();
    }

    public Optional<Branch> branchByName(String projectId, String name) {
        return db.sql("select id, project_id, name, timeline_id, parent_id from branches"
                + " where project_id = ? and name = ?").params(projectId, name).query(Registry::branch).optional();
    }

    public List<Branch> branches(String projectId) {
        return db.sql("select id, project_id, name, timeline_id, parent_id from branches where project_id = ?"
                + " order by created_at, id").param(projectId).query(Registry::branch).list();
    }

    private static Branch branch(ResultSet rs, int row) throws SQLException {
        return new Branch(rs.getString(1), rs.getString(2), rs.getString(3), TimelineId.parse(rs.getString(4)),
                rs.getString(5));
    }

    // ---- endpoints

    public void insertEndpoint(Endpoint e) {
        db.sql("insert into endpoints (" + ENDPOINT_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(e.id(), e.projectId(), e.branchId(), e.suspendTimeoutSeconds(), e.autoprewarm(),
                        String.join(",", e.allowedIps()), e.disabled(), e.state().jsonName(), e.host(), e.pgPort(),
                        e.httpPort(), e.computeId(), e.pid(), timestamp(e.startedAt()), timestamp(e.lastActive()),
                        e.lastError())
                .update();
    }

    public Optional<Endpoint> endpoint(String id) {
        return db.sql("select " + ENDPOINT_COLUMNS + " from endpoints where id = ?").param(id)
                .query(Registry::endpoint).optional();
    }

    public List<Endpoint> endpoints() {
        return db.sql("select " + ENDPOINT_COLUMNS + " from endpoints order by created_at, id")
                .query(Registry::endpoint).list();
    }

    public List<Endpoint> endpointsOfBranch(String branchId) {
        return db.sql("select " + ENDPOINT_COLUMNS + " from endpoints where branch_id = ? order by created_at, id")
                .param(branchId).query(Registry::endpoint).list();
    }

    /** Every Postgres and HTTP port some endpoint holds. */
    public Set<Integer> usedPorts() {
        Set<Integer> used = new HashSet<>();
        db.sql("select pg_port, http_port from endpoints").query(rs -> {
            used.add(rs.getInt(1));
            used.add(rs.getInt(2));
        });
        return used;
    }

    /** Replaces the user-settable fields of {@code e}. */
    public void updateSettings(Endpoint e) {
        db.sql("update endpoints set suspend_timeout_seconds = ?, autoprewarm = ?, allowed_ips = ?, disabled = ?"
                + " where id = ?").params(e.suspendTimeoutSeconds(), e.autoprewarm(), String.join(",", e.allowedIps()),
                e.disabled(), e.id()).update();
    }

    /** Records a lifecycle transition with the compute it concerns (null fields clear them). */
    public void transition(String id, EndpointState state, String computeId, Long pid, Instant startedAt,
            String lastError) {
        db.sql("update endpoints set state = ?, compute_id = coalesce(?, compute_id), pid = ?, started_at = ?,"
                + " last_error = ? where id = ?").params(state.jsonName(), computeId, pid, timestamp(startedAt),
                lastError, id).update();
    }

    public void touchLastActive(String id, Instant lastActive) {
        db.sql("update endpoints set last_active = greatest(last_active, ?) where id = ?")
                .params(timestamp(lastActive), id).update();
    }

    public void deleteEndpoint(String id) {
        db.sql("update projects set default_endpoint_id = null where default_endpoint_id = ?").param(id).update();
        db.sql("delete from endpoints where id = ?").param(id).update();
    }

    private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
        String ips = rs.getString(6);
        long pid = rs.getLong(13);
        Long pidOrNull = rs.wasNull() ? null : pid;
        return new Endpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBoolean(5),
                ips.isEmpty() ? List.of() : Arrays.asList(ips.split(",")), rs.getBoolean(7),
                EndpointState.parse(rs.getString(8)), rs.getString(9), rs.getInt(10), rs.getInt(11), rs.getString(12),
                pidOrNull, instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)), rs.getString(16));
    }

    // ---- roles and databases

    /** Creates or replaces a role (clearing its deleted mark). */
    public void putRole(Role r) {
        db.sql("insert into roles (branch_id, name, secret, deleted) values (?, ?, ?, false) on conflict (branch_id,"
                + " name) do update set secret = excluded.secret, deleted = false").params(r.branchId(), r.name(),
                r.secret()).update();
    }

    /** Marks a role deleted; false if the branch has no such live role. */
    public boolean deleteRole(String branchId, String name) {
        return db.sql("update roles set deleted = true where branch_id = ? and name = ? and not deleted")
                .params(branchId, name).update() == 1;
    }

    /** The branch's roles, deleted ones included. */
    public List<Role> roles(String branchId) {
        return db.sql("select branch_id, name, secret, deleted from roles where branch_id = ? order by name")
                .param(branchId).query((rs, row) -> new Role(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getBoolean(4))).list();
    }

    public Optional<Role> role(String branchId, String name) {
        return roles(branchId).stream().filter(r -> r.name().equals(name) && !r.deleted()).findFirst();
    }

    public void putDatabase(Database d) {
        db.sql("insert into databases (branch_id, name, owner, deleted) values (?, ?, ?, false) on conflict"
                + " (branch_id, name) do update set owner = excluded.owner, deleted = false").params(d.branchId(),
                d.name(), d.owner()).update();
    }

    public boolean deleteDatabase(String branchId, String name) {
        return db.sql("update databases set deleted = true where branch_id = ? and name = ? and not deleted")
                .params(branchId, name).update() == 1;
    }

    /** The branch's databases, deleted ones included. */
    public List<Database> databases(String branchId) {
        return db.sql("select branch_id, name, owner, deleted from databases where branch_id = ? order by name")
                .param(branchId).query((rs, row) -> new Database(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getBoolean(4))).list();
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
