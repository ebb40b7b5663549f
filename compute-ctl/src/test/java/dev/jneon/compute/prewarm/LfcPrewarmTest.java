package dev.jneon.compute.prewarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.compute.spec.ComputeSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prewarm state machine (spec D.1): who may end a run, busy refusals, the leader's log line. */
class LfcPrewarmTest {

    private static final AdminConnection NO_POSTGRES = db -> {
        throw new SQLException("no Postgres in this test");
    };
    private static final PrewarmBlocks THREE = PrewarmBlocks.parse(
            "<<3>>\n5,1663,16384,0,0\n5,1663,16384,0,1\n5,1663,16384,0,2\n".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path pgdata;

    @Test
    void startupWithoutEndpointStorageFailsWithoutWritingAFile() throws Exception {
        var prewarm = new LfcPrewarm(NO_POSTGRES);
        assertThat(prewarm.state()).isInstanceOf(PrewarmState.NotPrewarmed.class);
        var download = prewarm.beginStartup(Specs.with("\"autoprewarm\": true"));
        assertThat(prewarm.state()).isInstanceOf(PrewarmState.Prewarming.class);
        assertThat(prewarm.request(Specs.with(""), null)).as("busy while the start-up prewarm runs").isFalse();
        prewarm.writeStartupFile(download, pgdata);
        assertThat(prewarm.state()).isEqualTo(new PrewarmState.Failed("endpoint_storage_addr is not set in the spec"));
        assertThat(Files.exists(pgdata.resolve(PrewarmBlocks.FILE_NAME))).isFalse();
        assertThat(prewarm.started()).isEqualTo(1);
        assertThat(prewarm.failures()).isEqualTo(1);
    }

    @Test
    void theLeadersLogLineCompletesTheStartupPrewarm() {
        var prewarm = new LfcPrewarm(NO_POSTGRES);
        var download = prewarm.beginStartup(Specs.with(""));
        prewarm.awaitLeader(download.run(), new LfcPrewarm.Fetched(THREE, 5, 6));
        prewarm.onPostgresLog("2026-11-23 16:48:18.859 UTC [17710] LOG:  database system is ready to accept connections");
        assertThat(prewarm.state()).isSameAs(download.run());
        prewarm.onPostgresLog("2026-11-23 16:48:18.859 UTC [17710] LOG:  autoprewarm successfully prewarmed 2 of 3"
                + " previously-loaded blocks");
        assertThat(prewarm.state()).isInstanceOfSatisfying(PrewarmState.Completed.class, c -> {
            assertThat(c.total()).isEqualTo(3);
            assertThat(c.prewarmed()).isEqualTo(2);
            assertThat(c.skipped()).isEqualTo(1);
            assertThat(c.stateDownloadTimeMs()).isEqualTo(5);
            assertThat(c.uncompressTimeMs()).isEqualTo(6);
        });
        prewarm.cancel();
        prewarm.postgresStopped();
        assertThat(prewarm.state()).as("a finished prewarm stays finished").isInstanceOf(PrewarmState.Completed.class);
    }

    @Test
    void cancelOrPostgresStoppingEndsTheRunAndALateResultChangesNothing() {
        var prewarm = new LfcPrewarm(NO_POSTGRES);
        var download = prewarm.beginStartup(Specs.with(""));
        prewarm.awaitLeader(download.run(), new LfcPrewarm.Fetched(THREE, 0, 0));
        prewarm.cancel(); // terminating the leader fails here (no Postgres): logged, still cancelled
        assertThat(prewarm.state()).isInstanceOf(PrewarmState.Cancelled.class);
        prewarm.onPostgresLog("LOG:  autoprewarm successfully prewarmed 3 of 3 previously-loaded blocks");
        assertThat(prewarm.state()).isInstanceOf(PrewarmState.Cancelled.class);

        var again = prewarm.beginStartup(Specs.with(""));
        prewarm.awaitLeader(again.run(), new LfcPrewarm.Fetched(THREE, 0, 0));
        prewarm.postgresStopped();
        assertThat(prewarm.state()).isInstanceOf(PrewarmState.Cancelled.class);
        assertThat(prewarm.failures()).isZero();
    }

    @Test
    void onDemandFailureFreesTheSlotAndBadEndpointIdsAreRefused() throws Exception {
        var prewarm = new LfcPrewarm(NO_POSTGRES);
        ComputeSpec unreachable = Specs.endpointStorage("127.0.0.1:1", "token", Specs.ENDPOINT);
        assertThat(prewarm.request(unreachable, null)).isTrue();
        PrewarmState end = awaitEnd(prewarm);
        assertThat(end).isInstanceOf(PrewarmState.Failed.class);
        assertThat(prewarm.request(Specs.with(""), "ep-other")).as("a failed prewarm does not block the next").isTrue();
        assertThat(awaitEnd(prewarm)).isEqualTo(new PrewarmState.Failed("endpoint_storage_addr is not set in the spec"));
        assertThatThrownBy(() -> prewarm.request(unreachable, "../../x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(prewarm.failures()).isEqualTo(2);
    }

    static PrewarmState awaitEnd(LfcPrewarm prewarm) throws InterruptedException {
        while (prewarm.state().busy()) {
            Thread.sleep(10);
        }
        return prewarm.state();
    }
}
