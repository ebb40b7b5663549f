package dev.jneon.common.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.ShardCount;
import dev.jneon.common.id.ShardNumber;
import dev.jneon.common.id.ShardStripeSize;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMappingTest {

    private static final ShardMapping EIGHT = new ShardMapping(ShardCount.of(8), ShardStripeSize.DEFAULT);
    private static final RelTag REL = new RelTag(1663, 5, 16384, ForkNumber.MAIN);

    @Test
    void hashPrimitivesMatchNeonVectors() {
        assertThat(ShardMapping.murmur(0)).isZero();
        assertThat(ShardMapping.combine(0xb1ff3b40, 0)).isEqualTo(0xfb7923c9);
    }

    @Test
    void keyMapsToShardOfNeonVector() {
        Key key = Key.parse("000000067F000000050000400C0000007D06");
        ShardMapping mapping = new ShardMapping(ShardCount.of(10), ShardStripeSize.of(32768));
        assertThat(mapping.shardOf(key)).isEqualTo(ShardNumber.of(8));
        assertThat(mapping.isLocal(key, ShardNumber.of(8))).isTrue();
        assertThat(mapping.isLocal(key, ShardNumber.ZERO)).isFalse();
        assertThat(mapping.isDisposable(key, ShardNumber.ZERO)).isTrue();
        assertThat(mapping.isDisposable(key, ShardNumber.of(8))).isFalse();
    }

    @Test
    void unshardedTenantsKeepEverythingOnShardZero() {
        for (int count : new int[] {0, 1}) {
            ShardMapping mapping = new ShardMapping(ShardCount.of(count), ShardStripeSize.DEFAULT);
            for (int blk = 0; blk < 100_000; blk += 997) {
                assertThat(mapping.shardOf(Key.relBlock(REL, blk))).isEqualTo(ShardNumber.ZERO);
                assertThat(mapping.isDisposable(Key.relBlock(REL, blk), ShardNumber.ZERO)).isFalse();
            }
        }
    }

    @Test
    void everythingButRelationBlocksGoesToShardZero() {
        List<Key> shardZero = List.of(Key.DB_DIR, Key.relMap(new DbTag(1663, 5)), Key.relDir(new DbTag(1663, 5)),
                Key.relSize(REL), Key.relBlock(REL.withFork(ForkNumber.INIT), 1_000_000),
                Key.slruDir(SlruKind.CLOG), Key.slruBlock(SlruKind.CLOG, 1, 2), Key.slruSegSize(SlruKind.CLOG, 1),
                Key.TWO_PHASE_DIR, Key.twoPhaseFile(77), Key.CONTROL_FILE, Key.CHECKPOINT);
        for (Key key : shardZero) {
            assertThat(ShardMapping.isShardZeroKey(key)).as("%s", key.kind()).isTrue();
            assertThat(EIGHT.shardOf(key)).as("%s", key.kind()).isEqualTo(ShardNumber.ZERO);
            assertThat(EIGHT.isLocal(key, ShardNumber.ZERO)).isTrue();
        }
    }

    @Test
    void globalKeysAreKeptEverywhereAndShardZeroOnlyKeysAreDisposableElsewhere() {
        List<Key> global = List.of(Key.DB_DIR, Key.relMap(new DbTag(1663, 5)), Key.relDir(new DbTag(1663, 5)),
                Key.relSize(REL), Key.TWO_PHASE_DIR, Key.twoPhaseFile(77), Key.CONTROL_FILE, Key.CHECKPOINT);
        for (Key key : global) {
            assertThat(ShardMapping.isGlobal(key)).as("%s", key.kind()).isTrue();
            assertThat(EIGHT.isDisposable(key, ShardNumber.of(3))).isFalse();
        }
        List<Key> shardZeroOnly = List.of(Key.slruDir(SlruKind.CLOG), Key.slruBlock(SlruKind.CLOG, 1, 2),
                Key.slruSegSize(SlruKind.CLOG, 1), Key.relBlock(REL.withFork(ForkNumber.INIT), 0),
                Key.parse("620000000000000000000000000000000001"));
        for (Key key : shardZeroOnly) {
            assertThat(ShardMapping.isGlobal(key)).as("%s", key).isFalse();
            assertThat(EIGHT.isDisposable(key, ShardNumber.of(3))).as("%s", key).isTrue();
            assertThat(EIGHT.isDisposable(key, ShardNumber.ZERO)).as("%s", key).isFalse();
        }
        assertThat(ShardMapping.isGlobal(Key.relBlock(REL, 1))).isFalse();
    }

    @Test
    void blocksOfOneStripeStayTogetherAndStripesSpreadOverAllShards() {
        int stripe = ShardStripeSize.DEFAULT.pages();
        int[] perShard = new int[8];
        for (int s = 0; s < 800; s++) {
            ShardNumber first = EIGHT.shardOf(Key.relBlock(REL, s * stripe));
            assertThat(EIGHT.shardOf(Key.relBlock(REL, s * stripe + stripe - 1))).isEqualTo(first);
            assertThat(EIGHT.isLocal(Key.relBlock(REL, s * stripe + 17), first)).isTrue();
            perShard[first.value()]++;
        }
        for (int n : perShard) {
            assertThat(n).isBetween(50, 150);
        }
    }

    @Test
    void tablespaceAndDatabaseDoNotAffectTheShard() {
        for (int blk = 0; blk < 1_000_000; blk += 99_991) {
            Key a = Key.relBlock(new RelTag(1663, 5, 16384, ForkNumber.MAIN), blk);
            Key b = Key.relBlock(new RelTag(1663, 16400, 16384, ForkNumber.FSM), blk);
            assertThat(EIGHT.shardOf(a)).isEqualTo(EIGHT.shardOf(b));
        }
    }

    @Test
    void blockNumbersDivideUnsigned() {
        ShardMapping mapping = new ShardMapping(ShardCount.of(4), ShardStripeSize.of(0x8000_0000L));
        // blocks 0x80000000.. are stripe 1, not a negative stripe
        int low = mapping.shardOf(Key.relBlock(REL, 0x7FFF_FFFF)).value();
        int high = mapping.shardOf(Key.relBlock(REL, 0xFFFF_FFFE)).value();
        int expectedLow = Integer.remainderUnsigned(ShardMapping.combine(ShardMapping.murmur(16384), ShardMapping.murmur(0)), 4);
        int expectedHigh = Integer.remainderUnsigned(ShardMapping.combine(ShardMapping.murmur(16384), ShardMapping.murmur(1)), 4);
        assertThat(low).isEqualTo(expectedLow);
        assertThat(high).isEqualTo(expectedHigh);
    }
}
