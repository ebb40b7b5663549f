package dev.jneon.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walproposer over real gRPC against three {@link LoopbackSafekeeper}s on 127.0.0.1: streaming
 * and commit, sync-safekeepers (fast path and recovery of a lagging safekeeper from a donor over
 * StreamWal), and fencing of an old proposer by a newer term.
 */
class WalProposerLoopbackTest {

    private static final Lsn START = Lsn.parse("0/1000028");
    private static final PgVersionId PG15 = PgVersionId.of(PgMajorVersion.of(15));
    private static final int SEG = 16 << 20;

    private final TenantTimelineId ttid = TenantTimelineId.generate();
    private final List<LoopbackSafekeeper> sks = new ArrayList<>();
    private final List<WalProposer> proposers = new ArrayList<>();

    @BeforeEach
    void startSafekeepers() throws Exception {
        for (int i = 1; i <= 3; i++) {
            sks.add(new LoopbackSafekeeper(i, START));
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        proposers.forEach(WalProposer::close);
        for (LoopbackSafekeeper sk : sks) {
            sk.close();
            assertThat(sk.violation).isNull();
        }
    }

    private List<SafekeeperAddress> addresses() {
        return sks.stream().map(LoopbackSafekeeper::address).toList();
    }

    private WalProposer startProposer(WalBuffer buffer) {
        var config = new ProposerConfig(ttid, 3, PG15, 7, SEG, false, Lsn.INVALID, 0,
                ProposerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES);
        WalProposer wp = WalProposer.start(config, addresses(), buffer, lsn -> { });
        proposers.add(wp);
        return wp;
    }

    /** Appends {@code n} random bytes through {@code wp}; returns the new end of WAL. */
    private static Lsn write(WalProposer wp, WalBuffer buffer, int n, Random random) throws InterruptedException {
        for (int left = n; left > 0; ) {
            byte[] chunk = new byte[Math.min(left, 50_000)];
            random.nextBytes(chunk);
            Lsn at = buffer.end();
            assertThat(buffer.append(at, chunk, 30_000)).isTrue();
            wp.walAppended(at.plus(chunk.length));
            left -= chunk.length;
        }
        return buffer.end();
    }

    private static void awaitCommit(WalProposer wp, Lsn lsn) throws InterruptedException {
        for (int i = 0; i < 600 && wp.commitLsn().isBefore(lsn); i++) {
            Thread.sleep(100);
        }
        assertThat(wp.commitLsn()).isEqualTo(lsn);
    }

    private Lsn sync() throws Exception {
        return SyncSafekeepers.run(ttid, addresses(), PG15, SEG, Duration.ofSeconds(60));
    }

    @Test
    void streamsCommitsAndSyncsToTheSameEnd() throws Exception {
        assertThat(sync()).as("a fresh timeline syncs to its start").isEqualTo(START);
        var buffer = new WalBuffer(256 << 10); // smaller than the WAL: eviction below commit is exercised
        WalProposer wp = startProposer(buffer);
        assertThat(wp.elected().get(30, TimeUnit.SECONDS).termStartLsn()).isEqualTo(START);
        Lsn end = write(wp, buffer, 1_000_000, new Random(1));
        awaitCommit(wp, end);
        LoopbackSafekeeper holder = sks.stream().filter(sk -> sk.flush().equals(end)).findFirst().orElseThrow();
        byte[] reference = holder.bytes(START, end);
        wp.close();
        assertThat(sync()).isEqualTo(end);
        for (LoopbackSafekeeper sk : sks) {
            assertThat(sk.bytes(START, end)).isEqualTo(reference);
            assertThat(sk.commit()).isEqualTo(end);
            assertThat(sk.peerHorizon()).as("sync's last append spread truncate_lsn").isEqualTo(end);
        }
    }

    @Test
    void syncRecoversALaggingSafekeeperFromADonor() throws Exception {
        LoopbackSafekeeper lagging = sks.get(2);
        lagging.down(true);
        var buffer = new WalBuffer(64 << 20);
        WalProposer wp = startProposer(buffer);
        wp.elected().get(30, TimeUnit.SECONDS);
        Lsn end = write(wp, buffer, 700_000, new Random(2));
        awaitCommit(wp, end);
        wp.close();
        assertThat(lagging.flush()).isEqualTo(START);
        lagging.down(false);
        assertThat(sync()).isEqualTo(end);
        assertThat(lagging.flush()).isEqualTo(end);
        assertThat(lagging.commit()).isEqualTo(end);
        assertThat(lagging.bytes(START, end)).isEqualTo(sks.get(0).bytes(START, end));
    }

    @Test
    void aNewerTermStopsTheOldProposer() throws Exception {
        var buffer = new WalBuffer(64 << 20);
        WalProposer old = startProposer(buffer);
        long oldTerm = old.elected().get(30, TimeUnit.SECONDS).term();
        Lsn end = write(old, buffer, 10_000, new Random(3));
        awaitCommit(old, end);
        assertThat(sync()).isEqualTo(end);
        assertThatThrownBy(() -> old.stopped().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("another proposer holds term " + (oldTerm + 1));
        Lsn stoppedAt = old.commitLsn();
        write(old, buffer, 10_000, new Random(4));
        assertThat(old.commitLsn()).isEqualTo(stoppedAt);
    }
}
