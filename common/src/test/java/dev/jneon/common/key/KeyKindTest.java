package dev.jneon.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyKindTest {

    private static final DbTag DB = new DbTag(1663, 5);
    private static final RelTag REL = DB.rel(16384, ForkNumber.VISIBILITY_MAP);

    /** Every kind with its key in text form, from the layout table of spec B. */
    private static Object[] golden(KeyKind kind, String f1, String f2, String f3, String f4, String f5, String f6) {
        return new Object[] {kind, f1 + f2 + f3 + f4 + f5 + f6};
    }

    /** Every kind with its key in text form, field by field, from the layout table of spec B. */
    private static final List<Object[]> GOLDEN = List.of(
            golden(new KeyKind.DbDir(), "00", "00000000", "00000000", "00000000", "00", "00000000"),
            golden(new KeyKind.RelMap(DB), "00", "0000067F", "00000005", "00000000", "00", "00000000"),
            golden(new KeyKind.RelMap(DbTag.GLOBAL), "00", "00000680", "00000000", "00000000", "00", "00000000"),
            golden(new KeyKind.RelDir(DB), "00", "0000067F", "00000005", "00000000", "00", "00000001"),
            golden(new KeyKind.RelBlock(REL, 9), "00", "0000067F", "00000005", "00004000", "02", "00000009"),
            golden(new KeyKind.RelSize(REL), "00", "0000067F", "00000005", "00004000", "02", "FFFFFFFF"),
            golden(new KeyKind.SlruDir(SlruKind.MULTIXACT_OFFSETS), "01", "00000002", "00000000", "00000000", "00",
                    "00000000"),
            golden(new KeyKind.SlruBlock(SlruKind.CLOG, 0x12, 31), "01", "00000000", "00000001", "00000012", "00",
                    "0000001F"),
            golden(new KeyKind.SlruSegSize(SlruKind.MULTIXACT_MEMBERS, 3), "01", "00000001", "00000001", "00000003",
                    "00", "FFFFFFFF"),
            golden(new KeyKind.TwoPhaseDir(), "02", "00000000", "00000000", "00000000", "00", "00000000"),
            golden(new KeyKind.TwoPhaseFile(0x2E5), "02", "00000000", "00000000", "00000000", "00", "000002E5"),
            golden(new KeyKind.TwoPhaseFile(0x0000_000A_0000_02E4L), "02", "00000000", "00000000", "00000000", "0A",
                    "000002E4"),
            golden(new KeyKind.TwoPhaseFile(0x1234_5678_9ABC_DEF0L), "02", "00000000", "00000000", "00123456", "78",
                    "9ABCDEF0"),
            golden(new KeyKind.ControlFile(), "03", "00000000", "00000000", "00000000", "00", "00000000"),
            golden(new KeyKind.Checkpoint(), "03", "00000000", "00000000", "00000000", "00", "00000001"),
            golden(new KeyKind.AuxFilesV1(), "03", "00000000", "00000000", "00000000", "00", "00000002"));

    @Test
    void everyKindEncodesToItsLayoutAndDecodesBack() {
        for (Object[] golden : GOLDEN) {
            KeyKind kind = (KeyKind) golden[0];
            String text = (String) golden[1];
            assertThat(text).as("golden text of %s", kind).hasSize(36);
            Key key = kind.key();
            assertThat(key.toString()).as("%s", kind).isEqualTo(text);
            assertThat(Key.parse(text).kind()).as("%s", text).isEqualTo(kind);
        }
    }

    @Test
    void factoriesAndConstantsAgreeWithKinds() {
        assertThat(Key.DB_DIR.kind()).isEqualTo(new KeyKind.DbDir());
        assertThat(Key.relMap(DbTag.GLOBAL).kind()).isEqualTo(new KeyKind.RelMap(DbTag.GLOBAL));
        assertThat(Key.relDir(DbTag.GLOBAL).kind()).isEqualTo(new KeyKind.RelDir(DbTag.GLOBAL));
        assertThat(Key.relBlock(REL, 0).kind()).isEqualTo(new KeyKind.RelBlock(REL, 0));
        assertThat(Key.relBlock(REL, 0xFFFF_FFFE).kind()).isEqualTo(new KeyKind.RelBlock(REL, 0xFFFF_FFFE));
        assertThat(Key.relSize(REL).kind()).isEqualTo(new KeyKind.RelSize(REL));
        assertThat(Key.slruDir(SlruKind.CLOG).kind()).isEqualTo(new KeyKind.SlruDir(SlruKind.CLOG));
        assertThat(Key.slruBlock(SlruKind.CLOG, 0, 0).kind()).isEqualTo(new KeyKind.SlruBlock(SlruKind.CLOG, 0, 0));
        assertThat(Key.slruSegSize(SlruKind.CLOG, -1).kind()).isEqualTo(new KeyKind.SlruSegSize(SlruKind.CLOG, -1));
        assertThat(Key.TWO_PHASE_DIR.kind()).isEqualTo(new KeyKind.TwoPhaseDir());
        assertThat(Key.twoPhaseFile(-1L).kind()).isEqualTo(new KeyKind.TwoPhaseFile(-1L));
        assertThat(Key.CONTROL_FILE.kind()).isEqualTo(new KeyKind.ControlFile());
        assertThat(Key.CHECKPOINT.kind()).isEqualTo(new KeyKind.Checkpoint());
        for (ForkNumber fork : ForkNumber.values()) {
            RelTag rel = REL.withFork(fork);
            assertThat(Key.relBlock(rel, 3).kind()).isEqualTo(new KeyKind.RelBlock(rel, 3));
            assertThat(Key.relSize(rel).field5()).isEqualTo(fork.number());
        }
    }

    @Test
    void keysOfKindsPrintTheirFieldsUnsigned() {
        RelTag big = new RelTag(1663, -2, -3, ForkNumber.MAIN);
        KeyKind kind = Key.relBlock(big, -5).kind();
        assertThat(kind).isEqualTo(new KeyKind.RelBlock(big, -5));
        assertThat(((KeyKind.RelBlock) kind).rel().toString()).isEqualTo("1663/4294967294/4294967293");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "000000000000000001000000000000000000", // tablespace 0 with a database
            "000000067F00000005000000000100000000", // relmap slot with a fork byte
            "000000067F00000005000000000000000002", // reldir slot with field6 2
            "000000067F000000050000400004FFFFFFFF", // fork 4
            "010000000300000000000000000000000000", // SLRU kind 3
            "010000000000000002000000000000000000", // SLRU field3 2
            "010000000000000000000000010000000000", // SLRU dir with field4
            "010000000000000001000000000100000000", // SLRU block with field5
            "020000000100000000000000000000000000", // two-phase field2
            "020000000000000000010000000000000001", // xid wider than 64 bits
            "030000000000000000000000000000000003", // misc slot 3
            "620000000000000000000000000000000001", // aux v2 (sparse)
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"})
    void keysOutsideTheLayoutAreUnrecognized(String text) {
        Key key = Key.parse(text);
        assertThat(key.kind()).isEqualTo(new KeyKind.Unrecognized(key));
        assertThat(key.kind().key()).isEqualTo(key);
    }

    @Test
    void factoriesRejectKeysThatWouldCollideWithOtherKinds() {
        assertThatThrownBy(() -> Key.relBlock(DB.rel(0, ForkNumber.MAIN), 1)).hasMessageContaining("relfilenode 0");
        assertThatThrownBy(() -> Key.relSize(new RelTag(0, 5, 16384, ForkNumber.MAIN))).hasMessageContaining("tablespace");
        assertThatThrownBy(() -> Key.relBlock(REL, -1)).hasMessageContaining("InvalidBlockNumber");
        assertThatThrownBy(() -> Key.slruBlock(SlruKind.CLOG, 1, -1)).hasMessageContaining("segment size");
        assertThatThrownBy(() -> Key.twoPhaseFile(0)).hasMessageContaining("xid 0");
        assertThatThrownBy(() -> new KeyKind.RelBlock(REL, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyKind.TwoPhaseFile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyKind.RelMap(null)).hasMessageContaining("db");
    }

    @Test
    void predicatesFollowNeon() {
        assertThat(Key.relBlock(REL, 1).isRelBlock()).isTrue();
        assertThat(Key.relSize(REL).isRelBlock()).isFalse();
        assertThat(Key.relSize(REL).isRelSize()).isTrue();
        assertThat(Key.relDir(DB).isRelBlock()).isFalse();
        assertThat(Key.slruBlock(SlruKind.CLOG, 1, 2).isSlruBlock()).isTrue();
        assertThat(Key.slruSegSize(SlruKind.CLOG, 1).isSlruSegSize()).isTrue();
        assertThat(Key.slruSegSize(SlruKind.CLOG, 1).isSlruBlock()).isFalse();
        assertThat(Key.slruDir(SlruKind.CLOG).isSlruDir()).isTrue();
        assertThat(Key.parse("620000000000000000000000000000000001").isAuxFile()).isTrue();
        assertThat(Key.parse("620000000000000000000000000000000001").isSparse()).isTrue();
        assertThat(Key.parse("7F0000000000000000000000000000000001").isSparse()).isFalse();
    }
}
