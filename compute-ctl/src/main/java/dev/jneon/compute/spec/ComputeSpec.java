package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.compute.walproposer.SafekeeperAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.List;

/**
 * The part of Neon's {@code ComputeSpec} (spec A.2) that applies to a vanilla-Postgres compute.
 * Unknown fields are ignored. Validated when constructed: {@code format_version},
 * {@code suspend_timeout_seconds} and {@code cluster} are required; tenant and timeline come from
 * {@code tenant_id}/{@code timeline_id} or the {@code neon.tenant_id}/{@code neon.timeline_id}
 * settings; a primary needs at least one safekeeper, each listed once; every mode needs shard 0's
 * pageserver gRPC URL (or a {@code grpc://} {@code pageserver_connstring}). Mode {@code Replica} is
 * refused (jneon has no replicas yet). Prewarm (spec D): {@code autoprewarm} is true if it or its
 * older name {@code prewarm_lfc_on_startup} is; {@code offload_lfc_interval_seconds} is positive
 * when set; {@code endpoint_storage_addr} is {@code host:port}. Immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComputeSpec(
        @JsonProperty("format_version") Double formatVersion,
        @JsonProperty("suspend_timeout_seconds") Long suspendTimeoutSeconds,
        Cluster cluster,
        @JsonProperty("delta_operations") List<DeltaOperation> deltaOperations,
        @JsonProperty("skip_pg_catalog_updates") Boolean skipPgCatalogUpdates,
        List<String> features,
        @JsonProperty("operation_uuid") String operationUuid,
        @JsonProperty("tenant_id") TenantId tenantId,
        @JsonProperty("timeline_id") TimelineId timelineId,
        @JsonProperty("project_id") String projectId,
        @JsonProperty("branch_id") String branchId,
        @JsonProperty("endpoint_id") String endpointId,
        ComputeMode mode,
        @JsonProperty("pageserver_connection_info") PageserverConnectionInfo pageserverConnectionInfo,
        @JsonProperty("pageserver_connstring") String pageserverConnstring,
        @JsonProperty("safekeeper_connstrings") List<String> safekeeperConnstrings,
        @JsonProperty("safekeepers_generation") Long safekeepersGeneration,
        @JsonProperty("storage_auth_token") String storageAuthToken,
        @JsonProperty("endpoint_storage_addr") String endpointStorageAddr,
        @JsonProperty("endpoint_storage_token") String endpointStorageToken,
        Boolean autoprewarm,
        @JsonProperty("prewarm_lfc_on_startup") Boolean prewarmLfcOnStartup,
        @JsonProperty("offload_lfc_interval_seconds") Long offloadLfcIntervalSeconds) {

    public ComputeSpec {
        if (formatVersion == null) {
            throw new IllegalArgumentException("format_version is required");
        }
        if (formatVersion != 1.0) {
            throw new IllegalArgumentException("unsupported format_version " + formatVersion + " (expected 1.0)");
        }
        if (suspendTimeoutSeconds == null) {
            throw new IllegalArgumentException("suspend_timeout_seconds is required");
        }
        if (cluster == null) {
            throw new IllegalArgumentException("cluster is required");
        }
        deltaOperations = deltaOperations == null ? List.of() : List.copyOf(deltaOperations);
        skipPgCatalogUpdates = skipPgCatalogUpdates != null && skipPgCatalogUpdates;
        features = features == null ? List.of() : List.copyOf(features);
        mode = mode == null ? new ComputeMode.Primary() : mode;
        safekeeperConnstrings = safekeeperConnstrings == null ? List.of() : List.copyOf(safekeeperConnstrings);
        autoprewarm = Boolean.TRUE.equals(autoprewarm) || Boolean.TRUE.equals(prewarmLfcOnStartup);
        prewarmLfcOnStartup = autoprewarm;
        if (offloadLfcIntervalSeconds != null && offloadLfcIntervalSeconds <= 0) {
            throw new IllegalArgumentException("offload_lfc_interval_seconds must be positive, got "
                    + offloadLfcIntervalSeconds);
        }
        if (endpointStorageAddr != null && !endpointStorageAddr.isBlank()) {
            endpointStorageAddress(endpointStorageAddr);
        }
        if (mode instanceof ComputeMode.Replica) {
            throw new IllegalArgumentException("mode Replica is not supported by jneon yet: use Primary or Static");
        }
        if (tenantId == null) {
            tenantId = fromSetting(cluster, "neon.tenant_id", TenantId::parse);
        }
        if (timelineId == null) {
            timelineId = fromSetting(cluster, "neon.timeline_id", TimelineId::parse);
        }
        if (tenantId == null || timelineId == null) {
            throw new IllegalArgumentException("tenant_id and timeline_id are required (or settings neon.tenant_id"
                    + " and neon.timeline_id)");
        }
        if (mode instanceof ComputeMode.Primary) {
            List<SafekeeperAddress> sks = parseSafekeepers(safekeeperConnstrings);
            if (sks.isEmpty()) {
                throw new IllegalArgumentException("a primary needs at least one safekeeper in safekeeper_connstrings");
            }
            if (new HashSet<>(sks).size() != sks.size()) {
                throw new IllegalArgumentException("safekeeper_connstrings lists a safekeeper twice: "
                        + safekeeperConnstrings);
            }
        }
        pageserverGrpc(pageserverConnectionInfo, pageserverConnstring);
    }

    /** The timeline this compute runs on. */
    public TenantTimelineId ttid() {
        return new TenantTimelineId(tenantId, timelineId);
    }

    public boolean isPrimary() {
        return mode instanceof ComputeMode.Primary;
    }

    /** The safekeepers' WAL service addresses, without Neon's {@code g#N:} generation prefix. */
    public List<SafekeeperAddress> safekeepers() {
        return parseSafekeepers(safekeeperConnstrings);
    }

    /** Shard 0's pageserver gRPC endpoint (unresolved). */
    public InetSocketAddress pageserverAddress() {
        return pageserverGrpc(pageserverConnectionInfo, pageserverConnstring);
    }

    /**
     * Endpoint storage's {@code host:port} (spec C), or empty when {@code endpoint_storage_addr} is
     * not set. Prewarm and offload need it, the token and {@code endpoint_id}.
     */
    public java.util.Optional<InetSocketAddress> endpointStorage() {
        return endpointStorageAddr == null || endpointStorageAddr.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(endpointStorageAddress(endpointStorageAddr));
    }

    private static InetSocketAddress endpointStorageAddress(String addr) {
        URI uri = URI.create("http://" + addr.strip().replaceFirst("^https?://", ""));
        if (uri.getHost() == null || uri.getPort() < 0 || !(uri.getPath() == null || uri.getPath().isEmpty())) {
            throw new IllegalArgumentException("endpoint_storage_addr must be host:port, got " + addr);
        }
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort());
    }

    private static List<SafekeeperAddress> parseSafekeepers(List<String> connstrings) {
        return connstrings.stream().map(s -> s.replaceFirst("^g#\\d+:", "")).flatMap(s -> List.of(s.split(",")).stream())
                .map(String::strip).filter(s -> !s.isEmpty()).map(SafekeeperAddress::parse).toList();
    }

    /** host:port of shard 0's gRPC page service. */
    private static InetSocketAddress pageserverGrpc(PageserverConnectionInfo info, String connstring) {
        String url = info == null ? null : info.shardZeroGrpcUrl();
        if (url == null && connstring != null && connstring.startsWith("grpc://")) {
            url = connstring;
        }
        if (url == null) {
            throw new IllegalArgumentException("no pageserver gRPC URL: set pageserver_connection_info.shards"
                    + "[\"0000\"].pageservers[0].grpc_url (grpc://host:port)");
        }
        URI uri = URI.create(url.strip());
        if (!"grpc".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("pageserver gRPC URL must look like grpc://host:port, got " + url);
        }
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort());
    }

    private static <T> T fromSetting(Cluster cluster, String name, java.util.function.Function<String, T> parse) {
        String value = cluster.setting(name);
        return value == null ? null : parse.apply(value.replace("'", ""));
    }
}
