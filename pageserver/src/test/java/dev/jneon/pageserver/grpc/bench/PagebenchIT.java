package dev.jneon.pageserver.grpc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.pageserver.grpc.PageServiceFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * pagebench get-page-latest-lsn against a page service serving a real initdb timeline: 10,000 pages
 * with batch sizes 1 and 32 (figures printed, not asserted) and option validation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagebenchIT {

    @TempDir
    static Path tmp;

    private PageServiceFixture fixture;

    @BeforeAll
    void start() throws Exception {
        fixture = new PageServiceFixture(tmp, Duration.ofSeconds(5));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private List<String> args(String... extra) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "127.0.0.1:" + fixture.server().port(),
                "--tenant", fixture.tenant().tenantId().toString(), "--timeline", fixture.timelineId().toString(),
                "--rel", "1663/5/1259", "--rel", "1663/5/1249", "--rel", "1663/5/1255", "--rel", "1663/5/2608"));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void tenThousandPagesWithBatchSizesOneAndThirtyTwo() throws Exception {
        for (String[] run : List.of(new String[] {"1", "none", "1"}, new String[] {"32", "none", "1"},
                new String[] {"32", "zstd", "1"}, new String[] {"32", "none", "2"})) {
            var options = PagebenchOptions.parse(args("--requests", "10000", "--batch-size", run[0], "--compression", run[1],
                    "--clients", run[2]));
            var result = PagebenchCommand.run(options, System.out);
            assertThat(result.pages()).isEqualTo(10_000);
            assertThat(result.requests()).isEqualTo((10_000 + Integer.parseInt(run[0]) - 1) / Integer.parseInt(run[0]));
            assertThat(result.sortedLatencyNanos()).hasSize((int) result.requests());
        }
    }

    @Test
    void aMissingRelationFailsTheRunAndBadOptionsAreRefused() {
        var missing = PagebenchOptions.parse(args("--rel", "1663/5/99999", "--blocks", "4", "--requests", "100"));
        assertThatThrownBy(() -> PagebenchCommand.run(missing, System.out)).hasMessageContaining("NOT_FOUND");
        assertThatThrownBy(() -> PagebenchOptions.parse(args("--requests", "10", "--batch-size", "33")))
                .hasMessageContaining("--batch-size");
        assertThatThrownBy(() -> PagebenchOptions.parse(args("--batch-size", "2"))).hasMessageContaining("--requests");
        assertThatThrownBy(() -> PagebenchOptions.parse(args("--requests", "10", "--compression", "lz4")))
                .hasMessageContaining("--compression");
    }
}
