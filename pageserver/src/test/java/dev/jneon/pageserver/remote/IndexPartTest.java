package dev.jneon.pageserver.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.layer.LayerName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** index_part.json (spec E.2): the golden v15 file, a round trip that keeps Neon's other fields, and the layout. */
class IndexPartTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/index-part/v15/index_part.json");
    private static final String L0 =
            "000000000000000000000000000000000000-FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF__00000000014EE0D8-00000000016960E9";
    private static final String IMAGE =
            "000000067F00000005000040000000000000-000000067F00000005000040000100000000__00000000014EE0D8";

    @Test
    void parsesTheGoldenV15File() throws Exception {
        IndexPart index = IndexPart.parse(Files.readAllBytes(GOLDEN));
        assertThat(index.diskConsistentLsn()).isEqualTo(Lsn.parse("0/16960E8"));
        assertThat(index.metadata().prevRecordLsn()).isEqualTo(Lsn.parse("0/16960B0"));
        assertThat(index.metadata().ancestorTimelineId()).isNull();
        assertThat(index.metadata().initdbLsn()).isEqualTo(Lsn.parse("0/14EE0D8"));
        assertThat(index.metadata().latestGcCutoffLsn()).isEqualTo(Lsn.parse("0/14EE0D8"));
        assertThat(index.metadata().pgVersion()).isEqualTo(PgMajorVersion.PG15);
        assertThat(index.layers()).containsOnlyKeys(LayerName.parse(L0), LayerName.parse(IMAGE));
        assertThat(index.layers().get(LayerName.parse(L0))).isEqualTo(new IndexPart.LayerFileMetadata(2621440, Generation.of(3)));
        assertThat(index.layers().get(LayerName.parse(IMAGE))).isEqualTo(new IndexPart.LayerFileMetadata(8192, Generation.NONE));
        assertThat(index.extra()).containsOnlyKeys("lineage", "gc_blocking", "last_aux_file_policy");
    }

    @Test
    void roundTripKeepsEveryFieldAndWritesNeonNames() throws Exception {
        byte[] golden = Files.readAllBytes(GOLDEN);
        byte[] written = IndexPart.parse(golden).encode();
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(written)).isEqualTo(json.readTree(golden));
        JsonNode tree = json.readTree(written);
        assertThat(tree.get("version").asInt()).isEqualTo(IndexPart.VERSION);
        assertThat(tree.get("layer_metadata").get(IMAGE).has("generation")).as("omitted without a generation").isFalse();
        assertThat(tree.get("metadata_bytes").get("pg_version").asInt()).isEqualTo(15);
    }

    @Test
    void readsTheMetadataAliasAndRefusesUnknownVersions() {
        String aliased = new String(readGolden(), StandardCharsets.UTF_8).replace("\"metadata_bytes\"", "\"metadata\"");
        assertThat(IndexPart.parse(aliased.getBytes(StandardCharsets.UTF_8)).diskConsistentLsn())
                .isEqualTo(Lsn.parse("0/16960E8"));
        String future = new String(readGolden(), StandardCharsets.UTF_8).replace("\"version\":15", "\"version\":16");
        assertThatThrownBy(() -> IndexPart.parse(future.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("version 16");
    }

    @Test
    void objectKeysFollowNeonsLayout() {
        TenantShardId tenant = TenantShardId.unsharded(TenantId.parse("11111111111111111111111111111111"));
        TimelineId timeline = TimelineId.parse("22222222222222222222222222222222");
        String prefix = "tenants/11111111111111111111111111111111/timelines/22222222222222222222222222222222/";
        assertThat(RemoteLayout.layer(tenant, timeline, LayerName.parse(L0), Generation.of(10)).value())
                .isEqualTo(prefix + L0 + "-0000000a");
        assertThat(RemoteLayout.index(tenant, timeline, Generation.of(10)).value()).isEqualTo(prefix + "index_part.json-0000000a");
        assertThat(RemoteLayout.indexGeneration("index_part.json-0000000a")).isEqualTo(Generation.of(10));
        assertThat(RemoteLayout.indexGeneration("index_part.json")).isEqualTo(Generation.NONE);
        assertThat(RemoteLayout.indexGeneration(L0 + "-0000000a")).isNull();
    }

    private static byte[] readGolden() {
        try {
            return Files.readAllBytes(GOLDEN);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
