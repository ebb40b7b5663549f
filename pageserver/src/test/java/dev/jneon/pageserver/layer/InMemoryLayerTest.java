package dev.jneon.pageserver.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.value.NeonWalRecord;
import dev.jneon.pageserver.value.PageVersion;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryLayerTest {

    private static final Key A = Key.relBlock(LayerFileTest.REL, 1);
    private static final Key B = Key.relBlock(LayerFileTest.REL, 2);
    private static final Value RECORD = Value.record(new NeonWalRecord.ClearVisibilityMapFlags(1, null, 1));

    @TempDir
    Path dir;
    private InMemoryLayer layer;

    @BeforeEach
    void open() {
        layer = new InMemoryLayer(dir.resolve("ephemeral-0"), Lsn.of(0x100), Instant.EPOCH);
    }

    @AfterEach
    void discard() {
        layer.discard();
    }

    private List<Lsn> lsns(List<PageVersion> versions) {
        return versions.stream().map(PageVersion::lsn).toList();
    }

    @Test
    void collectsNewestFirstWithinTheWindowAndStopsAtAnImage() {
        layer.put(A, Lsn.of(0x100), Value.image(new byte[] {1}));
        layer.put(A, Lsn.of(0x108), RECORD);
        layer.put(A, Lsn.of(0x110), RECORD);
        layer.put(B, Lsn.of(0x110), Value.image(new byte[] {2}));
        List<PageVersion> out = new ArrayList<>();
        assertThat(layer.collect(A, Lsn.of(0x100), Lsn.of(0x111), out)).isEqualTo(Layer.ReadOutcome.COMPLETE);
        assertThat(lsns(out)).containsExactly(Lsn.of(0x110), Lsn.of(0x108), Lsn.of(0x100));
        out.clear();
        assertThat(layer.collect(A, Lsn.of(0x108), Lsn.of(0x110), out)).isEqualTo(Layer.ReadOutcome.CONTINUE);
        assertThat(lsns(out)).containsExactly(Lsn.of(0x108));
        assertThat(layer.maxLsn()).isEqualTo(Lsn.of(0x110));
        assertThat(layer.sizeBytes()).isPositive();
    }

    @Test
    void aDeleteHidesOlderVersionsButNotAPutAtTheSameLsn() {
        layer.put(A, Lsn.of(0x100), Value.image(new byte[] {1}));
        layer.put(B, Lsn.of(0x100), Value.image(new byte[] {1}));
        layer.delete(new KeyRange(A, B.next()), Lsn.of(0x108));
        layer.put(B, Lsn.of(0x108), Value.image(new byte[] {3}));
        assertThat(layer.collect(A, Lsn.of(0x100), Lsn.of(0x200), new ArrayList<>())).isEqualTo(Layer.ReadOutcome.DELETED);
        assertThat(layer.collect(A, Lsn.of(0x100), Lsn.of(0x108), new ArrayList<>())).isEqualTo(Layer.ReadOutcome.COMPLETE);
        List<PageVersion> out = new ArrayList<>();
        assertThat(layer.collect(B, Lsn.of(0x100), Lsn.of(0x200), out)).isEqualTo(Layer.ReadOutcome.COMPLETE);
        assertThat(out.getFirst().value()).isEqualTo(Value.image(new byte[] {3}));
    }

    @Test
    void streamsVersionsInKeyThenLsnOrderForTheFlush() {
        layer.put(B, Lsn.of(0x100), Value.image(new byte[] {1}));
        layer.put(A, Lsn.of(0x108), RECORD);
        layer.put(A, Lsn.of(0x110), RECORD);
        List<String> seen = new ArrayList<>();
        layer.forEachInOrder((key, lsn, bytes, willInit) -> seen.add(key.field6() + "@" + lsn + (willInit ? "!" : "")));
        assertThat(seen).containsExactly("1@0/108", "1@0/110", "2@0/100!");
    }

    @Test
    void freezingEndsWritesAndChecksItsBound() {
        layer.put(A, Lsn.of(0x108), RECORD);
        assertThatThrownBy(() -> layer.put(A, Lsn.of(0xF8), RECORD)).hasMessageContaining("below the open layer's start");
        assertThatThrownBy(() -> layer.put(A, Lsn.of(0x100), RECORD)).hasMessageContaining("LSN order");
        assertThatThrownBy(() -> layer.freeze(Lsn.of(0x108))).isInstanceOf(IllegalArgumentException.class);
        layer.freeze(Lsn.of(0x109));
        assertThat(layer.lsnRange()).isEqualTo(new LsnRange(Lsn.of(0x100), Lsn.of(0x109)));
        assertThatThrownBy(() -> layer.put(B, Lsn.of(0x110), RECORD)).hasMessageContaining("frozen");
    }
}
