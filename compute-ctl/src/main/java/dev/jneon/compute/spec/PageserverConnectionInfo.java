package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Where the timeline's pageservers are (spec A.2 {@code pageserver_connection_info}):
 * {@code {shard_count, stripe_size?, shards: {"0000": {pageservers: [{id, libpq_url, grpc_url}]}},
 * prefer_protocol}}. jneon reads the basebackup from shard 0 over gRPC. Immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PageserverConnectionInfo(@JsonProperty("shard_count") Integer shardCount,
        Map<String, Shard> shards, @JsonProperty("prefer_protocol") String preferProtocol) {

    public PageserverConnectionInfo {
        shards = shards == null ? Map.of() : Map.copyOf(shards);
    }

    /** The pageservers of one shard. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shard(List<Pageserver> pageservers) {
        public Shard {
            pageservers = pageservers == null ? List.of() : List.copyOf(pageservers);
        }
    }

    /** One pageserver: its node id and URLs ({@code grpc://host:port}, {@code postgresql://...}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pageserver(Long id, @JsonProperty("libpq_url") String libpqUrl,
            @JsonProperty("grpc_url") String grpcUrl) {}

    /** The gRPC URL of shard 0's first pageserver, or null. */
    public String shardZeroGrpcUrl() {
        Shard zero = shards.get("0000");
        if (zero == null) {
            zero = shards.get("0");
        }
        if (zero == null) {
            return null;
        }
        return zero.pageservers().stream().map(Pageserver::grpcUrl).filter(u -> u != null && !u.isBlank())
                .findFirst().orElse(null);
    }
}
