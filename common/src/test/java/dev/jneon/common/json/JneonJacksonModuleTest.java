package dev.jneon.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class JneonJacksonModuleTest {

    private static final String TENANT = "1f359dd625e519a1a4e8d7509690f6fc";
    private static final String TIMELINE = "de200bd42b49cc1814412c7e592dd6e9";

    private final JsonMapper mapper = JsonMapper.builder().addModule(new JneonJacksonModule()).build();

    /** A REST body shaped like Neon's, with every type of the module in it. */
    record Body(Lsn lsn, TenantId tenantId, TimelineId timelineId, TenantShardId tenantShardId, NodeId nodeId,
            Generation generation, PgMajorVersion pgVersion, PgVersionId pgVersionId, ShardIndex shard,
            ShardNumber shardNumber, ShardCount shardCount, ShardStripeSize stripeSize, TenantTimelineId ttid) {
    }

    @Test
    void neonFormsOfEveryType() {
        Body body = new Body(Lsn.parse("0/16B5A50"), TenantId.parse(TENANT), TimelineId.parse(TIMELINE),
                TenantShardId.parse(TENANT + "-0104"), NodeId.of(-1), Generation.of(7), PgMajorVersion.PG15,
                new PgVersionId(150018), ShardIndex.of(1, 4), ShardNumber.of(1), ShardCount.of(4), ShardStripeSize.DEFAULT,
                new TenantTimelineId(TenantId.parse(TENANT), TimelineId.parse(TIMELINE)));
        String json = mapper.writeValueAsString(body);
        assertThat(json).isEqualTo("{\"lsn\":\"0/16B5A50\",\"tenantId\":\"" + TENANT + "\",\"timelineId\":\"" + TIMELINE
                + "\",\"tenantShardId\":\"" + TENANT + "-0104\",\"nodeId\":18446744073709551615,\"generation\":7,"
                + "\"pgVersion\":15,\"pgVersionId\":150018,\"shard\":\"0104\",\"shardNumber\":1,\"shardCount\":4,"
                + "\"stripeSize\":2048,\"ttid\":{\"tenant_id\":\"" + TENANT + "\",\"timeline_id\":\"" + TIMELINE + "\"}}");
        assertThat(mapper.readValue(json, Body.class)).isEqualTo(body);
    }

    @Test
    void generationNoneIsNull() {
        assertThat(mapper.writeValueAsString(Generation.NONE)).isEqualTo("null");
        assertThat(mapper.writeValueAsString(List.of(Generation.NONE, Generation.of(0)))).isEqualTo("[null,0]");
        assertThat(mapper.readValue("[null,0,4294967295]", new TypeReference<List<Generation>>() { }))
                .containsExactly(Generation.NONE, Generation.of(0), Generation.MAX);
        assertThat(mapper.readValue("{\"generation\":null}", GenerationHolder.class).generation()).isEqualTo(Generation.NONE);
    }

    record GenerationHolder(Generation generation) {
    }

    @Test
    void idsWorkAsMapKeys() {
        Map<TenantId, Lsn> byTenant = Map.of(TenantId.parse(TENANT), Lsn.of(8));
        String json = mapper.writeValueAsString(byTenant);
        assertThat(json).isEqualTo("{\"" + TENANT + "\":\"0/8\"}");
        assertThat(mapper.readValue(json, new TypeReference<Map<TenantId, Lsn>>() { })).isEqualTo(byTenant);
        Map<NodeId, TenantShardId> byNode = Map.of(NodeId.of(3), TenantShardId.parse(TENANT + "-0002"));
        assertThat(mapper.readValue(mapper.writeValueAsString(byNode), new TypeReference<Map<NodeId, TenantShardId>>() { }))
                .isEqualTo(byNode);
        assertThatThrownBy(() -> mapper.readValue("{\"xyz\":\"0/8\"}", new TypeReference<Map<TimelineId, Lsn>>() { }))
                .isInstanceOf(JacksonException.class).hasMessageContaining("'xyz'");
    }

    @Test
    void malformedStringsFailWithTheParseError() {
        assertRejected("\"0/16B5A5G\"", Lsn.class, "malformed LSN '0/16B5A5G'");
        assertRejected("\"abc\"", TenantId.class, "malformed TenantId 'abc'");
        assertRejected("\"" + TENANT + "-0404\"", TenantShardId.class, "is not below shard count");
        assertRejected("\"01\"", ShardIndex.class, "malformed shard index '01'");
        assertRejected("{\"tenant_id\":\"" + TENANT + "\",\"timeline_id\":\"zz\"}", TenantTimelineId.class,
                "malformed TimelineId 'zz'");
        assertRejected("{\"tenant_id\":\"" + TENANT + "\"}", TenantTimelineId.class, "timeline_id");
    }

    @Test
    void wrongTokenTypesFail() {
        assertRejected("123", Lsn.class, "Lsn");
        assertRejected("\"0/1\"", NodeId.class, "NodeId");
        assertRejected("\"15\"", PgMajorVersion.class, "PgMajorVersion");
        assertRejected("1.5", Generation.class, "Generation");
        assertRejected("[1]", TenantId.class, "TenantId");
    }

    @Test
    void outOfRangeNumbersFailWithTheirBounds() {
        assertRejected("18446744073709551616", NodeId.class, "outside 0..18446744073709551615");
        assertRejected("-1", NodeId.class, "outside");
        assertRejected("4294967296", Generation.class, "outside 0..4294967295");
        assertRejected("13", PgMajorVersion.class, "unsupported PostgreSQL major version 13");
        assertRejected("18", PgMajorVersion.class, "18");
        assertRejected("150118", PgVersionId.class, "MM00bb");
        assertRejected("256", ShardNumber.class, "outside 0..255");
        assertRejected("0", ShardStripeSize.class, "outside 1..4294967295");
    }

    private void assertRejected(String json, Class<?> type, String message) {
        assertThatThrownBy(() -> mapper.readValue(json, type))
                .as("%s as %s", json, type.getSimpleName())
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining(message);
    }
}
