package dev.jneon.compute.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.compute.spec.ComputeSpec;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offload state machine (spec D.1): one at a time, failures end it, the periodic rule. */
class LfcOffloadTest {

    @TempDir
    Path pgdata;

    @Test
    void aSecondOffloadIsRefusedWhileOneRunsAndAFailureFreesTheSlot() throws Exception {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var offload = new LfcOffload(db -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SQLException("Postgres is gone");
        }, pgdata);
        ComputeSpec spec = Specs.endpointStorage("127.0.0.1:1", "token", Specs.ENDPOINT);
        assertThat(offload.state()).isInstanceOf(OffloadState.NotOffloaded.class);
        assertThat(offload.request(spec)).isTrue();
        entered.await();
        assertThat(offload.state()).isInstanceOf(OffloadState.Offloading.class);
        assertThat(offload.request(spec)).as("busy: 429").isFalse();
        release.countDown();
        assertThat(awaitEnd(offload)).isEqualTo(new OffloadState.Failed("Postgres is gone"));
        assertThat(offload.started()).isEqualTo(1);
        assertThat(offload.failures()).isEqualTo(1);
        assertThat(offload.request(Specs.with(""))).isTrue();
        assertThat(awaitEnd(offload)).isEqualTo(new OffloadState.Failed("endpoint_storage_addr is not set in the spec"));
    }

    @Test
    void periodicOffloadRunsOnlyWhilePrewarmIsSettled() throws Exception {
        var dumps = new AtomicInteger();
        var offload = new LfcOffload(db -> {
            dumps.incrementAndGet();
            throw new SQLException("no Postgres in this test");
        }, pgdata);
        ComputeSpec spec = Specs.endpointStorage("127.0.0.1:1", "token", Specs.ENDPOINT);
        var prewarm = new java.util.concurrent.atomic.AtomicReference<PrewarmState>(new PrewarmState.Prewarming());
        offload.startPeriodic(() -> spec, Duration.ofMillis(20), prewarm::get);
        try {
            // a prewarm in progress holds it back; once skipped (no saved state) rounds run
            prewarm.set(new PrewarmState.Skipped());
            while (dumps.get() < 2) {
                Thread.sleep(10);
            }
            prewarm.set(new PrewarmState.Failed("x"));
            int after = awaitStable(dumps);
            assertThat(offload.started()).isGreaterThanOrEqualTo(after);
        } finally {
            offload.close();
        }
    }

    /** Waits until no round starts for five intervals (bounded); returns the count. */
    private static int awaitStable(AtomicInteger count) throws InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int seen = count.get();
            Thread.sleep(100);
            if (count.get() == seen) {
                return seen;
            }
        }
        throw new AssertionError("periodic offloads keep running while the prewarm state is failed");
    }

    static OffloadState awaitEnd(LfcOffload offload) throws InterruptedException {
        while (offload.state().busy()) {
            Thread.sleep(10);
        }
        return offload.state();
    }
}
