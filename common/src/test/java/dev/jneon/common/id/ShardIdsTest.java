package dev.jneon.common.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardIdsTest {

    private static final String TENANT = "1f359dd625e519a1a4e8d7509690f6fc";

    @Test
    void numberAndCountAreBytes() {
        assertThat(ShardNumber.of(255).value()).isEqualTo(255);
        assertThatThrownBy(() -> ShardNumber.of(256)).hasMessageContaining("256");
        assertThatThrownBy(() -> ShardCount.of(-1)).hasMessageContaining("-1");
        assertThat(ShardCount.of(0).effective()).isEqualTo(1);
        assertThat(ShardCount.of(0).isUnsharded()).isTrue();
        assertThat(ShardCount.of(1).effective()).isEqualTo(1);
        assertThat(ShardCount.of(1).isUnsharded()).isFalse();
        assertThat(ShardCount.of(8).effective()).isEqualTo(8);
        assertThat(ShardNumber.of(2)).isGreaterThan(ShardNumber.of(1));
    }

    @Test
    void stripeSizeIsNonZeroU32() {
        assertThat(ShardStripeSize.DEFAULT.pages()).isEqualTo(2048);
        assertThat(ShardStripeSize.of(0xFFFF_FFFFL).unsignedPages()).isEqualTo(0xFFFF_FFFFL);
        assertThat(ShardStripeSize.of(0xFFFF_FFFFL).toString()).isEqualTo("4294967295");
        assertThatThrownBy(() -> ShardStripeSize.of(0)).hasMessageContaining("0");
        assertThatThrownBy(() -> new ShardStripeSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardStripeSize.of(1L << 32)).hasMessageContaining("4294967296");
    }

    @Test
    void shardIndexSlug() {
        assertThat(ShardIndex.of(1, 4).toString()).isEqualTo("0104");
        assertThat(ShardIndex.of(13, 17).toString()).isEqualTo("0d11");
        assertThat(ShardIndex.UNSHARDED.toString()).isEqualTo("0000");
        assertThat(ShardIndex.parse("0d11")).isEqualTo(ShardIndex.of(13, 17));
        assertThat(ShardIndex.parse("FEFF")).isEqualTo(ShardIndex.of(254, 255));
        assertThat(ShardIndex.parse("0000").isUnsharded()).isTrue();
        assertThat(ShardIndex.UNSHARDED.suffix()).isEmpty();
        assertThat(ShardIndex.of(0, 1).suffix()).isEqualTo("-0001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "010", "01040", "0g04", "0404", "0100", "-104"})
    void shardIndexRejectsMalformedSlugs(String slug) {
        assertThatThrownBy(() -> ShardIndex.parse(slug))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + slug + "'");
    }

    @Test
    void shardIndexOrdersByNumberThenCount() {
        List<ShardIndex> list = new ArrayList<>(List.of(ShardIndex.of(1, 2), ShardIndex.of(0, 4), ShardIndex.of(0, 2),
                ShardIndex.UNSHARDED));
        list.sort(null);
        assertThat(list).containsExactly(ShardIndex.UNSHARDED, ShardIndex.of(0, 2), ShardIndex.of(0, 4), ShardIndex.of(1, 2));
    }

    @Test
    void tenantShardIdTextForms() {
        TenantId tenant = TenantId.parse(TENANT);
        TenantShardId sharded = new TenantShardId(tenant, ShardIndex.of(7, 10));
        assertThat(sharded.toString()).isEqualTo(TENANT + "-070a");
        assertThat(TenantShardId.parse(TENANT + "-070a")).isEqualTo(sharded);
        assertThat(TenantShardId.parse(TENANT.toUpperCase() + "-070A")).isEqualTo(sharded);
        TenantShardId unsharded = TenantShardId.unsharded(tenant);
        assertThat(unsharded.toString()).isEqualTo(TENANT);
        assertThat(TenantShardId.parse(TENANT)).isEqualTo(unsharded);
        assertThat(unsharded.isUnsharded()).isTrue();
        TenantShardId single = new TenantShardId(tenant, ShardIndex.of(0, 1));
        assertThat(single.toString()).isEqualTo(TENANT + "-0001");
        assertThat(single.isUnsharded()).isFalse();
        assertThat(single.isShardZero()).isTrue();
    }

    @Test
    void tenantShardIdBytes() {
        TenantShardId id = new TenantShardId(TenantId.parse(TENANT), ShardIndex.of(7, 10));
        byte[] bytes = id.toBytes();
        assertThat(bytes).hasSize(18);
        assertThat(bytes[0]).isEqualTo((byte) 0x1f);
        assertThat(bytes[15]).isEqualTo((byte) 0xfc);
        assertThat(bytes[16]).isEqualTo((byte) 7);
        assertThat(bytes[17]).isEqualTo((byte) 10);
        assertThat(TenantShardId.fromBytes(bytes)).isEqualTo(id);
        assertThatThrownBy(() -> TenantShardId.fromBytes(new byte[16])).hasMessageContaining("got 16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", TENANT + "-", TENANT + "_0104", TENANT + "-01040", TENANT + "-0g04", TENANT + "-0404",
            "1f359dd625e519a1a4e8d7509690f6f-0104", TENANT + "0104x"})
    void tenantShardIdRejectsMalformedText(String text) {
        assertThatThrownBy(() -> TenantShardId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "''" : text);
    }

    @Test
    void tenantShardIdOrdersByTenantThenShard() {
        TenantId a = new TenantId(0, 1);
        TenantId b = new TenantId(0, 2);
        List<TenantShardId> ids = new ArrayList<>(List.of(new TenantShardId(b, ShardIndex.UNSHARDED),
                new TenantShardId(a, ShardIndex.of(1, 2)), new TenantShardId(a, ShardIndex.of(0, 2))));
        ids.sort(null);
        assertThat(ids).containsExactly(new TenantShardId(a, ShardIndex.of(0, 2)), new TenantShardId(a, ShardIndex.of(1, 2)),
                new TenantShardId(b, ShardIndex.UNSHARDED));
    }

    @Test
    void splitFollowsNeon() {
        TenantId tenant = TenantId.generate();
        assertThat(TenantShardId.unsharded(tenant).split(ShardCount.of(4))).extracting(TenantShardId::shard)
                .containsExactly(ShardIndex.of(0, 4), ShardIndex.of(1, 4), ShardIndex.of(2, 4), ShardIndex.of(3, 4));
        assertThat(new TenantShardId(tenant, ShardIndex.of(0, 1)).split(ShardCount.of(2))).extracting(TenantShardId::shard)
                .containsExactly(ShardIndex.of(0, 2), ShardIndex.of(1, 2));
        assertThat(ShardIndex.of(1, 2).split(ShardCount.of(8)))
                .containsExactly(ShardIndex.of(1, 8), ShardIndex.of(3, 8), ShardIndex.of(5, 8), ShardIndex.of(7, 8));
        assertThatThrownBy(() -> ShardIndex.of(1, 4).split(ShardCount.of(2))).hasMessageContaining("0104");
    }
}
