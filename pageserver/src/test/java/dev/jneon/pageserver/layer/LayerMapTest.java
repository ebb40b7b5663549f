package dev.jneon.pageserver.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.value.Value;
import dev.jneon.pageserver.value.ValueCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layer choice of spec D.4 ({@code select_layer}) for one key. */
class LayerMapTest {

    private static final Key K = Key.relBlock(LayerFileTest.REL, 7);
    private static final Key OTHER = Key.relBlock(LayerFileTest.REL, 8);

    @TempDir
    Path dir;
    private final java.util.ArrayList<AutoCloseable> opened = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private PersistentLayer delta(long start, long end, KeyRange keys) {
        var name = LayerName.delta(keys, new LsnRange(Lsn.of(start), Lsn.of(end)));
        try (var w = new LayerFileWriter(dir, name, Generation.NONE, LayerFileTest.TENANT, LayerFileTest.TIMELINE)) {
            w.append(keys.start(), Lsn.of(start), ValueCodec.encode(Value.image(new byte[1])), true);
            PersistentLayer layer = PersistentLayer.open(w.finish());
            opened.add(layer);
            return layer;
        }
    }

    private PersistentLayer image(long lsn, KeyRange keys) {
        var name = LayerName.image(keys, Lsn.of(lsn));
        try (var w = new LayerFileWriter(dir, name, Generation.NONE, LayerFileTest.TENANT, LayerFileTest.TIMELINE)) {
            PersistentLayer layer = PersistentLayer.open(w.finish());
            opened.add(layer);
            return layer;
        }
    }

    private InMemoryLayer memory(long start, Long frozenEnd) {
        var layer = new InMemoryLayer(dir.resolve("ephemeral-" + start), Lsn.of(start), Instant.EPOCH);
        layer.put(OTHER, Lsn.of(start), Value.image(new byte[1]));
        if (frozenEnd != null) {
            layer.freeze(Lsn.of(frozenEnd));
        }
        opened.add(layer::discard);
        return layer;
    }

    @Test
    void newerImageWinsOverOlderDelta() {
        var d = delta(0x10, 0x40, KeyRange.ALL);
        var i = image(0x50, KeyRange.ALL);
        var map = new LayerMap(null, List.of(), List.of(d, i));
        assertThat(map.search(K, Lsn.of(0x100))).isEqualTo(new LayerMap.Selection(i, Lsn.of(0x50)));
        // below the image, the delta, whole
        assertThat(map.search(K, Lsn.of(0x50))).isEqualTo(new LayerMap.Selection(d, Lsn.of(0x10)));
    }

    @Test
    void newerDeltaIsReadDownToJustAboveTheImage() {
        var i = image(0x20, KeyRange.ALL);
        var d = delta(0x10, 0x40, KeyRange.ALL);
        var map = new LayerMap(null, List.of(), List.of(i, d));
        assertThat(map.search(K, Lsn.of(0x100))).isEqualTo(new LayerMap.Selection(d, Lsn.of(0x21)));
        assertThat(map.search(K, Lsn.of(0x21))).isEqualTo(new LayerMap.Selection(i, Lsn.of(0x20)));
    }

    @Test
    void imageReachingTheDeltaEndOrTheBoundWins() {
        var d = delta(0x10, 0x40, KeyRange.ALL);
        var i = image(0x3F, KeyRange.ALL); // image.end == delta.end
        assertThat(new LayerMap(null, List.of(), List.of(d, i)).search(K, Lsn.of(0x100)).layer()).isEqualTo(i);
        var lower = image(0x30, KeyRange.ALL); // image.lsn + 1 == cont
        assertThat(new LayerMap(null, List.of(), List.of(d, lower)).search(K, Lsn.of(0x31)).layer()).isEqualTo(lower);
    }

    @Test
    void layersNotCoveringTheKeyAreIgnored() {
        var narrow = image(0x80, KeyRange.of(OTHER));
        var d = delta(0x10, 0x40, KeyRange.ALL);
        var map = new LayerMap(null, List.of(), List.of(narrow, d));
        assertThat(map.search(K, Lsn.of(0x100)).layer()).isEqualTo(d);
        assertThat(map.search(K, Lsn.of(0x10))).isNull();
    }

    @Test
    void inMemoryLayersWinUnlessAPersistentLayerIsNewer() {
        var d = delta(0x10, 0x40, KeyRange.ALL);
        var frozen = memory(0x40, 0x60L);
        var open = memory(0x60, null);
        var map = new LayerMap(open, List.of(frozen), List.of(d));
        assertThat(map.search(K, Lsn.of(0x100))).isEqualTo(new LayerMap.Selection(open, Lsn.of(0x60)));
        assertThat(map.search(K, Lsn.of(0x60))).isEqualTo(new LayerMap.Selection(frozen, Lsn.of(0x40)));
        assertThat(map.search(K, Lsn.of(0x40))).isEqualTo(new LayerMap.Selection(d, Lsn.of(0x10)));
        // an image written above the frozen layer's start (e.g. by compaction) splits it
        var i = image(0x50, KeyRange.ALL);
        var withImage = new LayerMap(open, List.of(frozen), List.of(d, i));
        assertThat(withImage.search(K, Lsn.of(0x60))).isEqualTo(new LayerMap.Selection(frozen, Lsn.of(0x51)));
        // at equal reach the in-memory layer is not older: it is read whole, then the delta below it
        assertThat(withImage.search(K, Lsn.of(0x51))).isEqualTo(new LayerMap.Selection(frozen, Lsn.of(0x40)));
    }
}
