package dev.jneon.pageserver.grpc;

import dev.jneon.common.id.ShardIndex;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * The timeline a page-service call names in its headers {@code neon-tenant-id},
 * {@code neon-timeline-id} (32 hex digits each) and {@code neon-shard-id} (shard slug, "0000" when
 * unsharded). Immutable; a missing or malformed header is INVALID_ARGUMENT.
 */
record PageServiceTarget(TenantShardId tenantShard, TimelineId timeline) {

    static final Metadata.Key<String> TENANT = Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TIMELINE = Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> SHARD = Metadata.Key.of("neon-shard-id", Metadata.ASCII_STRING_MARSHALLER);

    static PageServiceTarget of(Metadata headers) {
        TenantId tenant = parse(headers, TENANT, TenantId::parse);
        TimelineId timeline = parse(headers, TIMELINE, TimelineId::parse);
        ShardIndex shard = parse(headers, SHARD, ShardIndex::parse);
        return new PageServiceTarget(new TenantShardId(tenant, shard), timeline);
    }

    private static <T> T parse(Metadata headers, Metadata.Key<String> key, java.util.function.Function<String, T> parser) {
        String text = headers == null ? null : headers.get(key);
        if (text == null) {
            throw Status.INVALID_ARGUMENT.withDescription("missing header " + key.name()).asRuntimeException();
        }
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            throw Status.INVALID_ARGUMENT.withDescription("bad header " + key.name() + " '" + text + "': " + e.getMessage())
                    .asRuntimeException();
        }
    }
}
