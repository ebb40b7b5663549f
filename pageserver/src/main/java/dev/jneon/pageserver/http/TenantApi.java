package dev.jneon.pageserver.http;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.service.ApiError;
import dev.jneon.common.service.NodeProperties;
import dev.jneon.pageserver.tenant.LocationConf;
import dev.jneon.pageserver.tenant.LocationMode;
import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.Tenants;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tenant routes of the management API (spec F.1): location_config (attach with a generation, or
 * Detached = delete locally), list, details, delete. Secondary locations are not supported (400).
 * Stateless; thread-safe.
 */
@RestController
public class TenantApi {

    private static final Set<String> LOCATION_FIELDS = Set.of("mode", "generation", "secondary_conf", "shard_number",
            "shard_count", "shard_stripe_size", "tenant_conf");
    private static final long DEFAULT_STRIPE = 2048;

    private final Tenants tenants;
    private final NodeProperties node;

    public TenantApi(Tenants tenants, NodeProperties node) {
        this.tenants = tenants;
        this.node = node;
    }

    @PutMapping("/v1/tenant/{tenantShardId}/location_config")
    public Map<String, Object> locationConfig(@PathVariable String tenantShardId, @RequestBody Map<String, Object> body) {
        TenantShardId id = TenantShardId.parse(tenantShardId);
        JsonBodies.requireOnly(body, LOCATION_FIELDS, "LocationConfig");
        String modeText = JsonBodies.string(body, "mode");
        if (modeText == null) {
            throw new ApiError.BadRequest("LocationConfig needs a mode");
        }
        LocationMode mode = LocationMode.parse(modeText);
        if (!(body.get("tenant_conf") instanceof Map<?, ?> rawConf)) {
            throw new ApiError.BadRequest("LocationConfig needs a tenant_conf object (may be {})");
        }
        checkShard(id, body);
        Map<String, Object> response = new HashMap<>();
        response.put("shards", List.of());
        response.put("stripe_size", null);
        switch (mode) {
            case Detached -> tenants.detach(id);
            case Secondary -> throw new ApiError.BadRequest("secondary locations are not supported by this pageserver");
            case AttachedSingle, AttachedMulti, AttachedStale -> {
                Long generation = JsonBodies.number(body, "generation");
                if (generation == null) {
                    throw new ApiError.BadRequest("generation is required for " + mode);
                }
                Long stripe = JsonBodies.number(body, "shard_stripe_size");
                @SuppressWarnings("unchecked")
                Map<String, Object> conf = (Map<String, Object>) rawConf;
                TenantShard tenant = tenants.attach(id, new LocationConf(mode, Generation.of(generation),
                        stripe == null ? DEFAULT_STRIPE : stripe, conf));
                response.put("shards", List.of(Map.of("shard_id", tenant.id(), "node_id", node.id())));
                response.put("stripe_size", id.isUnsharded() ? null : tenant.location().stripeSize());
            }
        }
        return response;
    }

    private static void checkShard(TenantShardId id, Map<String, Object> body) {
        Long number = JsonBodies.number(body, "shard_number");
        Long count = JsonBodies.number(body, "shard_count");
        if ((number != null && number != id.number().value()) || (count != null && count != id.count().value())) {
            throw new ApiError.BadRequest("shard_number/shard_count " + number + "/" + count + " do not match " + id);
        }
    }

    @GetMapping("/v1/tenant")
    public List<TenantInfo> list() {
        return tenants.all().stream().map(TenantInfo::of).toList();
    }

    @GetMapping("/v1/tenant/{tenantShardId}")
    public Map<String, Object> get(@PathVariable String tenantShardId) {
        return TenantInfo.details(tenants.get(TenantShardId.parse(tenantShardId)));
    }

    @DeleteMapping("/v1/tenant/{tenantShardId}")
    public ResponseEntity<String> delete(@PathVariable String tenantShardId) {
        if (!tenants.delete(TenantShardId.parse(tenantShardId))) {
            throw new ApiError.NotFound("tenant " + tenantShardId + " not found");
        }
        return JsonBodies.unit(HttpStatus.OK);
    }
}
