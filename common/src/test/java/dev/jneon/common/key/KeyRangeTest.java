package dev.jneon.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import org.junit.jupiter.api.Test;

class KeyRangeTest {

    private static final DbTag DB = new DbTag(1663, 5);
    private static final RelTag MAIN = DB.rel(16384, ForkNumber.MAIN);
    private static final RelTag FSM = MAIN.withFork(ForkNumber.FSM);

    @Test
    void halfOpenMembership() {
        KeyRange range = new KeyRange(Key.relBlock(MAIN, 10), Key.relBlock(MAIN, 20));
        assertThat(range.contains(Key.relBlock(MAIN, 10))).isTrue();
        assertThat(range.contains(Key.relBlock(MAIN, 19))).isTrue();
        assertThat(range.contains(Key.relBlock(MAIN, 20))).isFalse();
        assertThat(range.contains(Key.relBlock(MAIN, 9))).isFalse();
        assertThat(KeyRange.of(Key.CHECKPOINT).contains(Key.CHECKPOINT)).isTrue();
        assertThat(KeyRange.of(Key.CHECKPOINT).contains(Key.AUX_FILES_V1)).isFalse();
        assertThat(KeyRange.ALL.contains(Key.MIN)).isTrue();
        assertThat(KeyRange.ALL.contains(Key.MAX)).isFalse();
        assertThat(range.toString()).isEqualTo(Key.relBlock(MAIN, 10) + "-" + Key.relBlock(MAIN, 20));
    }

    @Test
    void overlapsAndContainment() {
        KeyRange a = new KeyRange(Key.relBlock(MAIN, 0), Key.relBlock(MAIN, 10));
        KeyRange b = new KeyRange(Key.relBlock(MAIN, 9), Key.relBlock(MAIN, 20));
        KeyRange touching = new KeyRange(Key.relBlock(MAIN, 10), Key.relBlock(MAIN, 20));
        KeyRange empty = new KeyRange(Key.relBlock(MAIN, 5), Key.relBlock(MAIN, 5));
        assertThat(a.overlaps(b)).isTrue();
        assertThat(b.overlaps(a)).isTrue();
        assertThat(a.overlaps(touching)).isFalse();
        assertThat(touching.overlaps(a)).isFalse();
        assertThat(a.overlaps(empty)).isFalse();
        assertThat(empty.isEmpty()).isTrue();
        assertThat(KeyRange.ALL.contains(a)).isTrue();
        assertThat(a.contains(b)).isFalse();
        assertThat(b.contains(touching)).isTrue();
        assertThat(a.contains(empty)).isTrue();
    }

    @Test
    void rejectsReversedOrMissingBounds() {
        assertThatThrownBy(() -> new KeyRange(Key.MAX, Key.MIN)).hasMessageContaining(Key.MAX.toString());
        assertThatThrownBy(() -> new KeyRange(null, Key.MIN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relationRangeIsOneForkWithItsSize() {
        KeyRange fsm = KeyRange.relation(FSM);
        assertThat(fsm.contains(Key.relBlock(FSM, 0))).isTrue();
        assertThat(fsm.contains(Key.relBlock(FSM, 0xFFFF_FFFE))).isTrue();
        assertThat(fsm.contains(Key.relSize(FSM))).isTrue();
        assertThat(fsm.contains(Key.relSize(MAIN))).isFalse();
        assertThat(fsm.contains(Key.relBlock(FSM.withFork(ForkNumber.VISIBILITY_MAP), 0))).isFalse();
        assertThat(fsm.end()).isEqualTo(Key.relBlock(FSM.withFork(ForkNumber.VISIBILITY_MAP), 0));
        KeyRange init = KeyRange.relation(MAIN.withFork(ForkNumber.INIT));
        assertThat(init.contains(Key.relSize(MAIN.withFork(ForkNumber.INIT)))).isTrue();
        assertThat(init.end().field5()).isEqualTo(4);

        KeyRange blocks = KeyRange.relationBlocks(FSM);
        assertThat(blocks.contains(Key.relBlock(FSM, 0xFFFF_FFFE))).isTrue();
        assertThat(blocks.contains(Key.relSize(FSM))).isFalse();
    }

    @Test
    void allForksRangeCoversEveryForkOfOneRelationOnly() {
        KeyRange all = KeyRange.relationAllForks(FSM);
        for (ForkNumber fork : ForkNumber.values()) {
            assertThat(all.contains(Key.relBlock(MAIN.withFork(fork), 7))).isTrue();
            assertThat(all.contains(Key.relSize(MAIN.withFork(fork)))).isTrue();
        }
        assertThat(all.contains(Key.relBlock(DB.rel(16385, ForkNumber.MAIN), 0))).isFalse();
        assertThat(all.contains(Key.relSize(DB.rel(16383, ForkNumber.INIT)))).isFalse();
        RelTag last = DB.rel(-1, ForkNumber.MAIN);
        assertThat(KeyRange.relationAllForks(last).end()).isEqualTo(new Key(0, 1663, 6, 0, 0, 0));
    }

    @Test
    void databaseRangeCoversItsDirectoriesAndRelations() {
        KeyRange db = KeyRange.database(DB);
        assertThat(db.contains(Key.relMap(DB))).isTrue();
        assertThat(db.contains(Key.relDir(DB))).isTrue();
        assertThat(db.contains(Key.relBlock(MAIN, 3))).isTrue();
        assertThat(db.contains(Key.relSize(DB.rel(-1, ForkNumber.INIT)))).isTrue();
        assertThat(db.contains(Key.relMap(new DbTag(1663, 6)))).isFalse();
        assertThat(db.contains(Key.relMap(new DbTag(1663, 4)))).isFalse();
        assertThat(db.contains(Key.DB_DIR)).isFalse();
        assertThat(KeyRange.database(DbTag.GLOBAL).contains(Key.relBlock(DbTag.GLOBAL.rel(1262, ForkNumber.MAIN), 0)))
                .isTrue();
    }

    @Test
    void slruSegmentRange() {
        KeyRange seg = KeyRange.slruSegment(SlruKind.CLOG, 2);
        assertThat(seg.contains(Key.slruBlock(SlruKind.CLOG, 2, 0))).isTrue();
        assertThat(seg.contains(Key.slruBlock(SlruKind.CLOG, 2, 31))).isTrue();
        assertThat(seg.contains(Key.slruSegSize(SlruKind.CLOG, 2))).isTrue();
        assertThat(seg.contains(Key.slruSegSize(SlruKind.CLOG, 3))).isFalse();
        assertThat(seg.contains(Key.slruBlock(SlruKind.MULTIXACT_MEMBERS, 2, 0))).isFalse();
        assertThat(seg.contains(Key.slruDir(SlruKind.CLOG))).isFalse();
    }
}
