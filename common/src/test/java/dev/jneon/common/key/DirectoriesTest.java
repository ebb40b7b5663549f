package dev.jneon.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** BeSer encodings of the directory values (spec B): golden bytes, round trips, rejection. */
class DirectoriesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void dbDirectoryGoldenBytes() {
        DbDirectory dir = DbDirectory.EMPTY.with(new DbTag(1663, 5), true).with(DbTag.GLOBAL, false);
        String hex = "0000000000000002" + "0000067f" + "00000005" + "01" + "00000680" + "00000000" + "00";
        assertThat(HEX.formatHex(dir.encode())).isEqualTo(hex);
        assertThat(DbDirectory.decode(HEX.parseHex(hex))).isEqualTo(dir);
        // any order is accepted on read
        String reversed = "0000000000000002" + "00000680" + "00000000" + "00" + "0000067f" + "00000005" + "01";
        assertThat(DbDirectory.decode(HEX.parseHex(reversed))).isEqualTo(dir);
        assertThat(HEX.formatHex(DbDirectory.EMPTY.encode())).isEqualTo("0000000000000000");
        assertThat(dir.without(DbTag.GLOBAL).contains(DbTag.GLOBAL)).isFalse();
        assertThat(dir.databases().get(new DbTag(1663, 5))).isTrue();
    }

    @Test
    void relDirectoryGoldenBytes() {
        RelDirectory dir = RelDirectory.EMPTY.with(16384, ForkNumber.MAIN).with(16384, ForkNumber.VISIBILITY_MAP)
                .with(-2, ForkNumber.FSM).with(1259, ForkNumber.MAIN);
        String hex = "0000000000000004" + "000004eb00" + "0000400000" + "0000400002" + "fffffffe01";
        assertThat(HEX.formatHex(dir.encode())).isEqualTo(hex);
        assertThat(RelDirectory.decode(HEX.parseHex(hex))).isEqualTo(dir);
        assertThat(dir.contains(16384, ForkNumber.VISIBILITY_MAP)).isTrue();
        assertThat(dir.without(16384, ForkNumber.VISIBILITY_MAP).contains(16384, ForkNumber.VISIBILITY_MAP)).isFalse();
    }

    @Test
    void slruSegmentDirectoryGoldenBytes() {
        SlruSegmentDirectory dir = new SlruSegmentDirectory(Set.of(0, 1, 0x8000_0000));
        String hex = "0000000000000003" + "00000000" + "00000001" + "80000000";
        assertThat(HEX.formatHex(dir.encode())).isEqualTo(hex);
        assertThat(SlruSegmentDirectory.decode(HEX.parseHex(hex))).isEqualTo(dir);
        assertThat(dir.with(2).without(0).segments()).containsExactly(1, 2, 0x8000_0000);
    }

    @Test
    void twoPhaseDirectoryWidthDependsOnVersion() {
        TwoPhaseDirectory dir = TwoPhaseDirectory.EMPTY.with(0x2E5).with(0xFFFF_FFFFL);
        assertThat(HEX.formatHex(dir.encode(PgMajorVersion.PG15))).isEqualTo("0000000000000002" + "000002e5" + "ffffffff");
        assertThat(HEX.formatHex(dir.encode(PgMajorVersion.PG17)))
                .isEqualTo("0000000000000002" + "00000000000002e5" + "00000000ffffffff");
        for (PgMajorVersion v : PgMajorVersion.values()) {
            assertThat(TwoPhaseDirectory.decode(dir.encode(v), v)).isEqualTo(dir);
        }
        TwoPhaseDirectory wide = dir.with(0x0000_000A_0000_02E4L);
        assertThat(TwoPhaseDirectory.decode(wide.encode(PgMajorVersion.PG17), PgMajorVersion.PG17)).isEqualTo(wide);
        assertThatThrownBy(() -> wide.encode(PgMajorVersion.PG16)).hasMessageContaining("42949673700");
    }

    @Test
    void rejectsTruncatedTrailingAndImpossibleBytes() {
        assertThatThrownBy(() -> DbDirectory.decode(HEX.parseHex("00000000000000"))).hasMessageContaining("DbDirectory")
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> DbDirectory.decode(HEX.parseHex("0000000000000001" + "0000067f0000000502")))
                .hasMessageContaining("bool byte 2");
        assertThatThrownBy(() -> DbDirectory.decode(HEX.parseHex("0000000000000001" + "000000000000000501")))
                .hasMessageContaining("tablespace OID 0");
        assertThatThrownBy(() -> RelDirectory.decode(HEX.parseHex("0000000000000001" + "0000400004")))
                .hasMessageContaining("fork 4");
        assertThatThrownBy(() -> RelDirectory.decode(HEX.parseHex("0000000000000002" + "0000400000" + "0000400000")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> SlruSegmentDirectory.decode(HEX.parseHex("0000000000000001" + "00000001" + "00")))
                .hasMessageContaining("1 trailing bytes");
        assertThatThrownBy(() -> SlruSegmentDirectory.decode(HEX.parseHex("ffffffffffffffff")))
                .hasMessageContaining("count 18446744073709551615");
        assertThatThrownBy(() -> TwoPhaseDirectory.decode(HEX.parseHex("0000000000000001" + "00000001"), PgMajorVersion.PG17))
                .hasMessageContaining("PostgreSQL 17");
        assertThatThrownBy(() -> SlruSegmentDirectory.decode(null)).hasMessageContaining("null");
    }

    @ParameterizedTest
    @EnumSource(PgMajorVersion.class)
    void largeDirectoriesRoundTrip(PgMajorVersion version) {
        TreeMap<DbTag, Boolean> dbs = new TreeMap<>();
        TreeSet<RelDirectory.Entry> rels = new TreeSet<>();
        TreeSet<Long> xids = new TreeSet<>();
        for (int i = 1; i <= 2000; i++) {
            dbs.put(new DbTag(1663, i * 7919), i % 2 == 0);
            rels.add(new RelDirectory.Entry(i * 104729, ForkNumber.of(i % 4)));
            xids.add((long) i * 65537);
        }
        assertThat(DbDirectory.decode(new DbDirectory(dbs).encode())).isEqualTo(new DbDirectory(dbs));
        assertThat(RelDirectory.decode(new RelDirectory(rels).encode())).isEqualTo(new RelDirectory(rels));
        TwoPhaseDirectory twoPhase = new TwoPhaseDirectory(xids);
        assertThat(TwoPhaseDirectory.decode(twoPhase.encode(version), version)).isEqualTo(twoPhase);
    }
}
