package dev.jneon.common.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PgVersionTest {

    @Test
    void versionIdDecodesMajorAndMinor() {
        PgVersionId v = PgVersionId.parse("150018");
        assertThat(v.value()).isEqualTo(150018);
        assertThat(v.major()).isEqualTo(PgMajorVersion.PG15);
        assertThat(v.minor()).isEqualTo(18);
        assertThat(v.toString()).isEqualTo("150018");
        assertThat(PgVersionId.of(PgMajorVersion.PG17, 4)).isEqualTo(new PgVersionId(170004));
        assertThat(new PgVersionId(140000).major()).isEqualTo(PgMajorVersion.PG14);
        assertThat(new PgVersionId(170099).major()).isEqualTo(PgMajorVersion.PG17);
    }

    @ParameterizedTest
    @EnumSource(PgMajorVersion.class)
    void majorAndVersionIdConvertBothWays(PgMajorVersion major) {
        PgVersionId first = major.versionId();
        assertThat(first.value()).isEqualTo(major.major() * 10000);
        assertThat(first.major()).isEqualTo(major);
        assertThat(PgVersionId.of(major, 99).major()).isEqualTo(major);
        assertThat(PgMajorVersion.parse(major.toString())).isEqualTo(major);
        assertThat(PgMajorVersion.of(major.major())).isEqualTo(major);
        assertThat(major.versionFileContents()).isEqualTo(major.major() + "\n");
    }

    @Test
    void versionIdsOrderNumerically() {
        assertThat(new PgVersionId(150009)).isLessThan(new PgVersionId(150010));
        assertThat(new PgVersionId(150099)).isLessThan(new PgVersionId(160000));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -150018, 130014, 139999, 180000, 150100, 159900, 90624})
    void versionIdRejectsUnsupportedOrMalformedNumbers(int value) {
        assertThatThrownBy(() -> new PgVersionId(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(value < 0 ? value : value / 10000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15", "15.8", "1500018", "+150018", "15001a", "١٥٠٠١٨"})
    void versionIdRejectsMalformedText(String text) {
        assertThatThrownBy(() -> PgVersionId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.equals("15") ? "15" : "'" + text + "'");
    }

    @Test
    void minorOutOfRangeIsRejected() {
        assertThatThrownBy(() -> PgVersionId.of(PgMajorVersion.PG15, 100)).hasMessageContaining("100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "13", "18", "v15", "15 ", "PG15"})
    void majorRejectsUnsupportedText(String text) {
        assertThatThrownBy(() -> PgMajorVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void slruKindsAndDirectories() {
        assertThat(SlruKind.of(0)).isEqualTo(SlruKind.CLOG);
        assertThat(SlruKind.of(1)).isEqualTo(SlruKind.MULTIXACT_MEMBERS);
        assertThat(SlruKind.of(2)).isEqualTo(SlruKind.MULTIXACT_OFFSETS);
        assertThat(SlruKind.CLOG.directory()).isEqualTo("pg_xact");
        assertThat(SlruKind.ofDirectory("pg_multixact/offsets")).isEqualTo(SlruKind.MULTIXACT_OFFSETS);
        for (SlruKind kind : SlruKind.values()) {
            assertThat(SlruKind.of(kind.number())).isEqualTo(kind);
            assertThat(SlruKind.ofDirectory(kind.directory())).isEqualTo(kind);
        }
        assertThatThrownBy(() -> SlruKind.of(3)).hasMessageContaining("3");
        assertThatThrownBy(() -> SlruKind.ofDirectory("pg_clog")).hasMessageContaining("'pg_clog'");
    }

    @Test
    void dbTagOrdersUnsignedAndRejectsTablespaceZero() {
        assertThat(new DbTag(1663, 5)).isLessThan(new DbTag(1663, -1));
        assertThat(new DbTag(1663, -1)).isLessThan(DbTag.GLOBAL);
        assertThat(DbTag.GLOBAL.toString()).isEqualTo("1664/0");
        assertThat(new DbTag(1663, -1).toString()).isEqualTo("1663/4294967295");
        assertThat(new RelTag(1663, 5, 16384, ForkNumber.MAIN).db()).isEqualTo(new DbTag(1663, 5));
        assertThat(new DbTag(1663, 5).rel(16384, ForkNumber.FSM)).isEqualTo(new RelTag(1663, 5, 16384, ForkNumber.FSM));
        assertThatThrownBy(() -> new DbTag(0, 5)).hasMessageContaining("tablespace OID 0");
    }
}
