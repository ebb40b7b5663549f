package dev.jneon.pageserver.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config-v1.json} v1 golden file, and the tenant knobs it carries. */
class TenantConfigFileTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/tenant-config/v1/config-v1.json");

    @TempDir
    Path dir;

    @Test
    void goldenV1ParsesAndRoundTrips() throws Exception {
        LocationConf conf = TenantConfigFile.parse(Files.readAllBytes(GOLDEN));
        assertThat(conf.mode()).isEqualTo(LocationMode.AttachedSingle);
        assertThat(conf.generation()).isEqualTo(Generation.of(7));
        assertThat(conf.engineConf().checkpointDistance()).isEqualTo(65536);
        assertThat(conf.engineConf().checkpointTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(conf.engineConf().pitrInterval()).isZero();
        TenantConfigFile.write(dir, conf);
        assertThat(Files.readString(dir.resolve(TenantConfigFile.NAME))).isEqualTo(Files.readString(GOLDEN).strip());
    }

    @Test
    void knobsAreCheckedByName() {
        assertThatThrownBy(() -> new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048, Map.of("bogus", 1)))
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048,
                Map.of("checkpoint_timeout", "ten minutes"))).isInstanceOf(IllegalArgumentException.class);
        var conf = new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048,
                Map.of("gc_horizon", 1024, "pitr_interval", "7days", "compaction_threshold", 4, "eviction_policy", Map.of()));
        assertThat(conf.engineConf().gcHorizon()).isEqualTo(1024);
        assertThat(conf.engineConf().pitrInterval()).isEqualTo(Duration.ofDays(7));
        assertThat(conf.engineConf().compactionThreshold()).isEqualTo(4);
        assertThat(HumanDuration.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
    }
}
