package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metadata.json} v1: the golden file parses, and writing its content reproduces it. */
class TimelineMetadataFileTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/timeline-metadata/v1/metadata.json");
    private static final TimelineMetadata EXPECTED = new TimelineMetadata(Lsn.parse("0/16B5A50"), Lsn.parse("0/16B5A18"),
            TimelineId.parse("fedcba9876543210fedcba9876543210"), Lsn.parse("0/1500000"), Lsn.parse("0/1400000"),
            Lsn.parse("0/14EE0D8"), PgMajorVersion.PG15);

    @TempDir
    Path dir;

    @Test
    void goldenV1ParsesAndRoundTrips() throws Exception {
        assertThat(TimelineMetadataFile.parse(Files.readAllBytes(GOLDEN))).isEqualTo(EXPECTED);
        TimelineMetadataFile.write(dir, EXPECTED);
        assertThat(Files.readString(dir.resolve(TimelineMetadataFile.NAME))).isEqualTo(Files.readString(GOLDEN).strip());
        assertThat(TimelineMetadataFile.read(dir)).isEqualTo(EXPECTED);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(TimelineMetadataFile.NAME)); // no temp file left
        }
    }

    @Test
    void rootTimelinesHaveNullAncestryAndOtherVersionsAreRefused() {
        var root = new TimelineMetadata(Lsn.parse("0/20"), null, null, Lsn.INVALID, Lsn.INVALID, Lsn.parse("0/20"),
                PgMajorVersion.PG15);
        String json = new String(TimelineMetadataFile.encode(root), StandardCharsets.UTF_8);
        assertThat(json).contains("\"ancestor_timeline\":null").contains("\"prev_record_lsn\":null");
        assertThat(TimelineMetadataFile.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(root);
        assertThatThrownBy(() -> TimelineMetadataFile.parse(json.replace("\"format_version\":1", "\"format_version\":2")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("format 2");
    }
}
