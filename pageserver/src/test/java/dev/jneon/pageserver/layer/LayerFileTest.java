package dev.jneon.pageserver.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.pageserver.value.NeonWalRecord;
import dev.jneon.pageserver.value.PageVersion;
import dev.jneon.pageserver.value.Value;
import dev.jneon.pageserver.value.ValueCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer file round trips and the v1 golden files. Regenerate the golden files (only for a new
 * format version) with {@code -Djneon.golden.write=true}.
 */
class LayerFileTest {

    static final TenantShardId TENANT = TenantShardId.unsharded(TenantId.parse("0123456789abcdef0123456789abcdef"));
    static final TimelineId TIMELINE = TimelineId.parse("fedcba9876543210fedcba9876543210");
    static final RelTag REL = new RelTag(1663, 5, 16384, ForkNumber.MAIN);
    static final Path GOLDEN = Path.of("src/test/resources/golden/layer/v1");

    @TempDir
    Path dir;

    static byte[] page(int fill) {
        byte[] p = new byte[8192];
        java.util.Arrays.fill(p, (byte) fill);
        return p;
    }

    /** The content of the golden delta: three keys, a record on top of an image, and a range delete. */
    static Path writeGoldenDelta(Path dir) {
        var name = LayerName.delta(KeyRange.ALL, new LsnRange(Lsn.of(0x100), Lsn.of(0x300)));
        try (var w = new LayerFileWriter(dir, name, Generation.of(1), TENANT, TIMELINE)) {
            w.append(Key.relBlock(REL, 0), Lsn.of(0x100), ValueCodec.encode(Value.image(new byte[] {1, 2, 3})), true);
            w.append(Key.relBlock(REL, 0), Lsn.of(0x200),
                    ValueCodec.encode(Value.record(new NeonWalRecord.ClearVisibilityMapFlags(1, null, 1))), false);
            w.append(Key.relBlock(REL, 1), Lsn.of(0x180), ValueCodec.encode(Value.image(new byte[] {9})), true);
            w.append(Key.relSize(REL), Lsn.of(0x100), ValueCodec.encode(Value.image(new byte[] {2, 0, 0, 0})), true);
            w.addTombstone(new Tombstone(KeyRange.of(Key.relBlock(REL, 1)), Lsn.of(0x2F0)));
            return w.finish();
        }
    }

    static Path writeGoldenImage(Path dir) {
        var name = LayerName.image(new KeyRange(Key.relBlock(REL, 0), Key.relSize(REL).next()), Lsn.of(0x300));
        try (var w = new LayerFileWriter(dir, name, Generation.NONE, TENANT, TIMELINE)) {
            w.append(Key.relBlock(REL, 0), Lsn.of(0x300), ValueCodec.encode(Value.image(new byte[] {7, 7})), true);
            w.append(Key.relSize(REL), Lsn.of(0x300), ValueCodec.encode(Value.image(new byte[] {1, 0, 0, 0})), true);
            return w.finish();
        }
    }

    @Test
    void goldenFilesAreWhatTheWriterProducesAndParse() throws IOException {
        Path delta = writeGoldenDelta(dir);
        Path image = writeGoldenImage(dir);
        if (Boolean.getBoolean("jneon.golden.write")) {
            Files.createDirectories(GOLDEN);
            Files.copy(delta, GOLDEN.resolve(delta.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(image, GOLDEN.resolve(image.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (Path written : List.of(delta, image)) {
            Path golden = GOLDEN.resolve(written.getFileName());
            assertThat(golden).exists();
            assertThat(Files.readAllBytes(written)).isEqualTo(Files.readAllBytes(golden));
        }
        try (var layer = PersistentLayer.open(GOLDEN.resolve(delta.getFileName()))) {
            assertThat(layer).isInstanceOf(DeltaLayer.class);
            assertThat(layer.generation()).isEqualTo(Generation.of(1));
            LayerFile.Summary s = layer.file().summary();
            assertThat(s.tenantShardId()).isEqualTo(TENANT);
            assertThat(s.timelineId()).isEqualTo(TIMELINE);
            assertThat(s.valueCount()).isEqualTo(4);
            assertThat(layer.file().tombstones()).hasSize(1);
            List<PageVersion> versions = new ArrayList<>();
            assertThat(layer.collect(Key.relBlock(REL, 0), Lsn.of(0x100), Lsn.of(0x300), versions)).isEqualTo(Layer.ReadOutcome.COMPLETE);
            assertThat(versions).extracting(PageVersion::lsn).containsExactly(Lsn.of(0x200), Lsn.of(0x100));
            assertThat(versions.get(1).value()).isEqualTo(Value.image(new byte[] {1, 2, 3}));
        }
        try (var layer = PersistentLayer.open(GOLDEN.resolve(image.getFileName()))) {
            List<PageVersion> versions = new ArrayList<>();
            assertThat(layer.collect(Key.relSize(REL), Lsn.of(0x300), Lsn.of(0x301), versions)).isEqualTo(Layer.ReadOutcome.COMPLETE);
            assertThat(versions.getFirst().value()).isEqualTo(Value.image(new byte[] {1, 0, 0, 0}));
            assertThat(layer.collect(Key.relBlock(REL, 1), Lsn.of(0x300), Lsn.of(0x301), new ArrayList<>()))
                    .isEqualTo(Layer.ReadOutcome.ABSENT);
        }
    }

    @Test
    void deltaReadsRespectTheWindowAndTombstones() {
        try (var layer = PersistentLayer.open(writeGoldenDelta(dir))) {
            List<PageVersion> versions = new ArrayList<>();
            // only the record above 0x180: CONTINUE, one version
            assertThat(layer.collect(Key.relBlock(REL, 0), Lsn.of(0x180), Lsn.of(0x300), versions)).isEqualTo(Layer.ReadOutcome.CONTINUE);
            assertThat(versions).hasSize(1);
            // below the record: just the image
            versions.clear();
            assertThat(layer.collect(Key.relBlock(REL, 0), Lsn.of(0x100), Lsn.of(0x200), versions)).isEqualTo(Layer.ReadOutcome.COMPLETE);
            assertThat(versions).extracting(PageVersion::lsn).containsExactly(Lsn.of(0x100));
            // block 1 deleted at 0x2F0, visible below it
            assertThat(layer.collect(Key.relBlock(REL, 1), Lsn.of(0x100), Lsn.of(0x300), new ArrayList<>())).isEqualTo(Layer.ReadOutcome.DELETED);
            assertThat(layer.collect(Key.relBlock(REL, 1), Lsn.of(0x100), Lsn.of(0x2F0), new ArrayList<>())).isEqualTo(Layer.ReadOutcome.COMPLETE);
            // a key never written
            assertThat(layer.collect(Key.relBlock(REL, 2), Lsn.of(0x100), Lsn.of(0x300), new ArrayList<>())).isEqualTo(Layer.ReadOutcome.CONTINUE);
        }
    }

    @Test
    void writerRefusesOutOfOrderAndOutOfRangeValuesAndLeavesNoTempFile() throws IOException {
        var name = LayerName.delta(KeyRange.ALL, new LsnRange(Lsn.of(0x100), Lsn.of(0x200)));
        try (var w = new LayerFileWriter(dir, name, Generation.NONE, TENANT, TIMELINE)) {
            w.append(Key.relBlock(REL, 1), Lsn.of(0x100), new byte[] {0, 0, 0, 0}, false);
            assertThatThrownBy(() -> w.append(Key.relBlock(REL, 0), Lsn.of(0x100), new byte[4], false)).hasMessageContaining("after");
            assertThatThrownBy(() -> w.append(Key.relBlock(REL, 2), Lsn.of(0x200), new byte[4], false)).hasMessageContaining("outside");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void corruptSummaryIsRejected() throws IOException {
        Path file = writeGoldenDelta(dir);
        byte[] bytes = Files.readAllBytes(file);
        bytes[80] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> PersistentLayer.open(file)).hasMessageContaining("CRC");
    }

    @Test
    void layerNamesFollowNeonsGrammar() {
        var delta = LayerName.delta(KeyRange.ALL, new LsnRange(Lsn.of(0x16B5A50), Lsn.of(0x16B5A58)));
        assertThat(delta.toString()).isEqualTo("000000000000000000000000000000000000-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF__00000000016B5A50-00000000016B5A58");
        assertThat(delta.isL0()).isTrue();
        assertThat(delta.fileName(Generation.of(2))).endsWith("-v1-00000002");
        assertThat(LayerName.parseFileName(delta.fileName(Generation.of(2)))).isEqualTo(new LayerName.Local(delta, Generation.of(2)));
        var image = LayerName.image(KeyRange.of(Key.CHECKPOINT), Lsn.of(0x28));
        assertThat(image.toString()).endsWith("__0000000000000028");
        assertThat(LayerName.parse(image.toString())).isEqualTo(image);
        assertThatThrownBy(() -> LayerName.parse("nonsense")).isInstanceOf(IllegalArgumentException.class);
    }
}
