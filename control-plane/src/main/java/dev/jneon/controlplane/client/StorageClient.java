package dev.jneon.controlplane.client;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.controlplane.ControlPlaneProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the control plane asks of the storage services: tenants attached on the pageserver
 * (generation 1: one pageserver, no storage controller in the loop yet), timelines bootstrapped or
 * branched there and then created on every safekeeper at the pageserver's LSN for them, where a
 * primary's WAL begins. Thread-safe.
 */
public final class StorageClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final ControlPlaneProperties.Storage storage;
    private final JsonClient http;

    public StorageClient(ControlPlaneProperties.Storage storage, JsonClient http) {
        this.storage = storage;
        this.http = http;
    }

    public void attachTenant(TenantId tenant) {
        http.call("PUT", pageserver() + "/v1/tenant/" + tenant + "/location_config",
                Map.of("mode", "AttachedSingle", "generation", 1, "tenant_conf", Map.of()), TIMEOUT);
    }

    /** Runs initdb for a new timeline on the pageserver and registers it on the safekeepers. */
    public void bootstrapTimeline(TenantId tenant, TimelineId timeline, int pgVersion) {
        JsonNode info = http.call("POST", pageserver() + "/v1/tenant/" + tenant + "/timeline",
                Map.of("new_timeline_id", timeline.toString(), "pg_version", pgVersion), TIMEOUT);
        onSafekeepers(tenant, timeline, pgVersion, Lsn.parse(info.get("last_record_lsn").asString()));
    }

    /** Branches {@code timeline} off {@code parent} (at {@code lsn}, or its last record if null). */
    public Lsn branchTimeline(TenantId tenant, TimelineId timeline, TimelineId parent, Lsn lsn) {
        var body = new LinkedHashMap<String, Object>();
        body.put("new_timeline_id", timeline.toString());
        body.put("ancestor_timeline_id", parent.toString());
        if (lsn != null) {
            body.put("ancestor_start_lsn", lsn.toString());
        }
        JsonNode info = http.call("POST", pageserver() + "/v1/tenant/" + tenant + "/timeline", body, TIMEOUT);
        Lsn branchPoint = Lsn.parse(info.get("ancestor_lsn").asString());
        onSafekeepers(tenant, timeline, info.get("pg_version").asInt(), branchPoint);
        return branchPoint;
    }

    /** Deletes the tenant everywhere: safekeepers first, then the pageserver. */
    public void deleteTenant(TenantId tenant) {
        for (String sk : storage.safekeeperHttp()) {
            http.call("DELETE", sk + "/v1/tenant/" + tenant, null, TIMEOUT);
        }
        http.call("DELETE", pageserver() + "/v1/tenant/" + tenant, null, TIMEOUT);
    }

    private void onSafekeepers(TenantId tenant, TimelineId timeline, int pgVersion, Lsn start) {
        for (String sk : storage.safekeeperHttp()) {
            http.call("POST", sk + "/v1/tenant/timeline", Map.of("tenant_id", tenant.toString(), "timeline_id",
                    timeline.toString(), "pg_version", pgVersion, "start_lsn", start.toString()), TIMEOUT);
        }
    }

    private String pageserver() {
        if (storage.pageserverHttp() == null || storage.pageserverHttp().isBlank()) {
            throw new IllegalStateException("jneon.control-plane.storage.pageserver-http is not configured");
        }
        return storage.pageserverHttp();
    }
}
