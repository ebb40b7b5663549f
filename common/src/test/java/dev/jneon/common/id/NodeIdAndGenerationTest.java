package dev.jneon.common.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdAndGenerationTest {

    @Test
    void nodeIdIsUnsigned64() {
        assertThat(NodeId.parse("1").value()).isEqualTo(1);
        assertThat(NodeId.parse("18446744073709551615")).isEqualTo(NodeId.of(-1));
        assertThat(NodeId.of(-1).toString()).isEqualTo("18446744073709551615");
        assertThat(NodeId.of(Long.MIN_VALUE)).isGreaterThan(NodeId.of(Long.MAX_VALUE));
        assertThat(NodeId.of(2)).isGreaterThan(NodeId.of(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", "1.0", "0x10", "18446744073709551616", " 1"})
    void nodeIdRejectsMalformedText(String text) {
        assertThatThrownBy(() -> NodeId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void generationOrderPutsNoneBelowZero() {
        List<Generation> gens = new ArrayList<>(List.of(Generation.of(1), Generation.MAX, Generation.of(0), Generation.NONE));
        gens.sort(null);
        assertThat(gens).containsExactly(Generation.NONE, Generation.of(0), Generation.of(1), Generation.MAX);
        assertThat(Generation.of(0x8000_0000L)).isGreaterThan(Generation.of(0x7FFF_FFFFL));
    }

    @Test
    void generationSuccessorsAndPredecessors() {
        assertThat(Generation.NONE.next()).isEqualTo(Generation.of(1));
        assertThat(Generation.of(0).next()).isEqualTo(Generation.of(1));
        assertThat(Generation.of(7).next()).isEqualTo(Generation.of(8));
        assertThatThrownBy(Generation.MAX::next).isInstanceOf(IllegalStateException.class);
        assertThat(Generation.of(8).previous()).isEqualTo(Generation.of(7));
        assertThat(Generation.of(0).previous()).isEqualTo(Generation.NONE);
        assertThat(Generation.NONE.previous()).isEqualTo(Generation.NONE);
    }

    @Test
    void generationSuffixIsStable() {
        assertThat(Generation.NONE.suffix()).isEmpty();
        assertThat(Generation.of(0).suffix()).isEqualTo("-00000000");
        assertThat(Generation.of(0xabc).suffix()).isEqualTo("-00000abc");
        assertThat(Generation.MAX.suffix()).isEqualTo("-ffffffff");
        assertThat(Generation.parseSuffix("00000abc")).isEqualTo(Generation.of(0xabc));
        assertThat(Generation.parseSuffix("FFFFFFFF")).isEqualTo(Generation.MAX);
        assertThat(Generation.parseSuffix("")).isEqualTo(Generation.NONE);
    }

    @Test
    void generationRejectsBadInput() {
        assertThatThrownBy(() -> Generation.of(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> Generation.of(1L << 32)).hasMessageContaining("4294967296");
        assertThatThrownBy(() -> new Generation(-2)).hasMessageContaining("-2");
        assertThatThrownBy(() -> Generation.parseSuffix("abc")).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> Generation.parseSuffix("0000000g")).hasMessageContaining("'g'");
        assertThatThrownBy(Generation.NONE::number).isInstanceOf(IllegalStateException.class);
        assertThat(Generation.of(5).number()).isEqualTo(5);
        assertThat(Generation.NONE.isNone()).isTrue();
    }
}
