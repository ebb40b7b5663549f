package dev.jneon.common.json;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.ShardCount;
import dev.jneon.common.id.ShardIndex;
import dev.jneon.common.id.ShardNumber;
import dev.jneon.common.id.ShardStripeSize;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import tools.jackson.databind.module.SimpleModule;

/**
 * Jackson 3 module with Neon's JSON forms of the shared vocabulary:
 * <ul>
 * <li>strings: {@link Lsn} ({@code "0/16B5A50"}), {@link TenantId}, {@link TimelineId},
 *     {@link TenantShardId}, {@link ShardIndex} (also usable as map keys, with {@link NodeId});</li>
 * <li>numbers: {@link NodeId} (u64), {@link Generation} (u32, {@code null} for NONE),
 *     {@link PgMajorVersion} ({@code 15}), {@link PgVersionId} ({@code 150018}),
 *     {@link ShardNumber}, {@link ShardCount}, {@link ShardStripeSize};</li>
 * <li>{@link TenantTimelineId} as {@code {"tenant_id", "timeline_id"}}.</li>
 * </ul>
 * Malformed values fail deserialization with a message naming the problem. Spring services get it
 * through {@link JsonAutoConfiguration}; plain code registers it with
 * {@code JsonMapper.builder().addModule(new JneonJacksonModule())}. Thread-safe once registered.
 */
public final class JneonJacksonModule extends SimpleModule {

    private static final long U8_MAX = 0xFF;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    public JneonJacksonModule() {
        super("jneon");
        StringForm.register(this, Lsn.class, Lsn::parse);
        StringForm.register(this, TenantId.class, TenantId::parse);
        StringForm.register(this, TimelineId.class, TimelineId::parse);
        StringForm.register(this, TenantShardId.class, TenantShardId::parse);
        StringForm.register(this, ShardIndex.class, ShardIndex::parse);

        NumberForm.register(this, NodeId.class, 0, -1L, NodeId::new, NodeId::value, null);
        NumberForm.register(this, Generation.class, 0, U32_MAX, Generation::of, Generation::value, Generation.NONE);
        NumberForm.register(this, PgMajorVersion.class, 0, Integer.MAX_VALUE, v -> PgMajorVersion.of((int) v),
                PgMajorVersion::major, null);
        NumberForm.register(this, PgVersionId.class, 0, Integer.MAX_VALUE, v -> new PgVersionId((int) v), PgVersionId::value, null);
        NumberForm.register(this, ShardNumber.class, 0, U8_MAX, v -> ShardNumber.of((int) v), ShardNumber::value, null);
        NumberForm.register(this, ShardCount.class, 0, U8_MAX, v -> ShardCount.of((int) v), ShardCount::value, null);
        NumberForm.register(this, ShardStripeSize.class, 1, U32_MAX, ShardStripeSize::of,
                ShardStripeSize::unsignedPages, null);
        StringForm.registerMapKey(this, NodeId.class, NodeId::parse);

        addSerializer(TenantTimelineId.class, new TenantTimelineIdForm.Writer());
        addDeserializer(TenantTimelineId.class, new TenantTimelineIdForm.Reader());
    }
}
