package dev.jneon.pageserver.walreceiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.pageserver.walreceiver.SafekeeperChoice.Switch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The safekeeper selection rules of spec safekeeper-broker.md H and seed 003's retry backoff, on a manual clock. */
class SafekeeperChoiceTest {

    private static final NodeId SK1 = NodeId.of(1);
    private static final NodeId SK2 = NodeId.of(2);
    private static final NodeId SK3 = NodeId.of(3);
    private static final long MIB = 1 << 20;

    private final ManualClock clock = new ManualClock();
    private final WalReceiverConf conf = new WalReceiverConf(Duration.ofSeconds(10), Duration.ofSeconds(10), 256 * MIB);
    private final SafekeeperChoice choice = new SafekeeperChoice(conf, clock);

    @Test
    void withoutAConnectionPicksTheHighestCommitLsnAmongUsableCandidates() {
        assertThat(choice.decide(lsn(0))).isEmpty();
        choice.heard(SK1, lsn(100), "sk1:1");
        choice.heard(SK2, lsn(300), "");          // no connstr
        choice.heard(SK3, Lsn.INVALID, "sk3:1");  // no commit LSN yet
        assertThat(choice.decide(lsn(0))).contains(new Switch(SK1, "sk1:1", SwitchReason.NO_EXISTING_CONNECTION));
        choice.heard(SK3, lsn(200), "sk3:1");
        choice.heard(SK2, lsn(200), "sk2:1");
        assertThat(choice.decide(lsn(0))).as("ties go to the lowest node id")
                .contains(new Switch(SK2, "sk2:1", SwitchReason.NO_EXISTING_CONNECTION));
    }

    @Test
    void switchesWhenTheCurrentSafekeeperLagsByMaxLsnWalLag() {
        choice.heard(SK1, lsn(100), "sk1:1");
        connect(SK1);
        choice.walReceived(lsn(100), lsn(100));
        choice.heard(SK2, lsn(100 + 255 * MIB), "sk2:1");
        assertThat(choice.decide(lsn(100))).as("255 MiB behind is within the threshold").isEmpty();
        choice.heard(SK2, lsn(100 + 256 * MIB), "sk2:1");
        assertThat(choice.decide(lsn(100))).contains(new Switch(SK2, "sk2:1", SwitchReason.LAGGING_WAL));
    }

    @Test
    void neverPicksTheCurrentSafekeeperAsItsOwnReplacement() {
        choice.heard(SK1, lsn(100 + 512 * MIB), "sk1:1");
        connect(SK1);
        choice.keepAlive(lsn(100));
        assertThat(choice.decide(lsn(100))).isEmpty();
    }

    @Test
    void switchesAfterConnectTimeoutWithoutStatusUpdates() {
        choice.heard(SK1, lsn(100), "sk1:1");
        choice.started(SK1);
        choice.heard(SK2, lsn(100), "sk2:1");
        clock.advance(Duration.ofSeconds(9));
        choice.heard(SK2, lsn(100), "sk2:1");
        assertThat(choice.decide(lsn(100))).as("not connected yet, still within the connect timeout").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        choice.heard(SK2, lsn(100), "sk2:1");
        assertThat(choice.decide(lsn(100))).contains(new Switch(SK2, "sk2:1", SwitchReason.NO_KEEP_ALIVES));

        choice.ended();
        connect(SK2);
        clock.advance(Duration.ofSeconds(5));
        choice.keepAlive(lsn(100));
        clock.advance(Duration.ofSeconds(6));
        choice.heard(SK1, lsn(100), "sk1:1");
        assertThat(choice.decide(lsn(100))).as("a keepalive 6 s ago keeps the connection").isEmpty();
    }

    @Test
    void switchesWhenKnownWalDoesNotArriveForLaggingWalTimeout() {
        choice.heard(SK1, lsn(100), "sk1:1");
        connect(SK1);
        choice.walReceived(lsn(100), lsn(100));
        clock.advance(Duration.ofSeconds(5));
        choice.heard(SK2, lsn(200), "sk2:1");
        assertThat(choice.decide(lsn(100))).as("sk2 has more WAL, noticed now").isEmpty();
        clock.advance(Duration.ofSeconds(6));
        choice.keepAlive(lsn(100));
        choice.heard(SK2, lsn(200), "sk2:1");
        assertThat(choice.decide(lsn(100))).as("6 s since the discovery").isEmpty();
        clock.advance(Duration.ofSeconds(5));
        choice.keepAlive(lsn(100));
        choice.heard(SK2, lsn(200), "sk2:1");
        assertThat(choice.decide(lsn(100))).contains(new Switch(SK2, "sk2:1", SwitchReason.NO_WAL_TIMEOUT));
    }

    @Test
    void keepsAConnectionThatReceivesWal() {
        choice.heard(SK1, lsn(100), "sk1:1");
        connect(SK1);
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(5));
            choice.walReceived(lsn(100 + i), lsn(200));
            choice.heard(SK2, lsn(300), "sk2:1");
            assertThat(choice.decide(lsn(100 + i))).isEmpty();
        }
    }

    @Test
    void backsOffExponentiallyFromAFailingSafekeeperUntilItDeliversWal() {
        choice.heard(SK1, lsn(100), "sk1:1");
        Duration expected = SafekeeperChoice.MIN_RETRY;
        for (int failure = 1; failure <= 20; failure++) {
            Instant started = clock.instant();
            connect(SK1);
            choice.ended();
            assertThat(choice.nextRetryAt(SK1)).contains(started.plus(expected));
            assertThat(choice.decide(lsn(0))).isEmpty();
            clock.set(started.plus(expected));
            choice.heard(SK1, lsn(100), "sk1:1");
            assertThat(choice.decide(lsn(0))).map(Switch::safekeeper).contains(SK1);
            expected = Duration.ofNanos((long) (expected.toNanos() * 1.5));
            if (expected.compareTo(SafekeeperChoice.MAX_RETRY) > 0) {
                expected = SafekeeperChoice.MAX_RETRY;
            }
        }
        assertThat(expected).isEqualTo(Duration.ofSeconds(15));

        connect(SK1);
        choice.walReceived(lsn(120), lsn(120));
        choice.walProcessed();
        assertThat(choice.nextRetryAt(SK1)).isEmpty();
        Instant started = clock.instant();
        choice.ended();
        assertThat(choice.nextRetryAt(SK1)).as("the backoff starts over").contains(started.plus(SafekeeperChoice.MIN_RETRY));
    }

    @Test
    void aFailedSafekeeperIsSkippedForAnotherOne() {
        choice.heard(SK1, lsn(200), "sk1:1");
        choice.heard(SK2, lsn(100), "sk2:1");
        connect(SK1);
        choice.ended();
        assertThat(choice.decide(lsn(0))).contains(new Switch(SK2, "sk2:1", SwitchReason.NO_EXISTING_CONNECTION));
    }

    @Test
    void forgetsSilentCandidatesAndTheirRetries() {
        choice.heard(SK1, lsn(100), "sk1:1");
        connect(SK1);
        choice.ended();
        clock.advance(Duration.ofSeconds(11));
        assertThat(choice.decide(lsn(0))).isEmpty();
        assertThat(choice.candidates()).isEmpty();
        assertThat(choice.nextRetryAt(SK1)).isEmpty();
    }

    @Test
    void asksForDiscoveryAtMostOncePerLaggingWalTimeoutWhileNothingIsKnown() {
        assertThat(choice.discoveryDue()).isTrue();
        assertThat(choice.discoveryDue()).isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(choice.discoveryDue()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        choice.heard(SK1, lsn(100), "sk1:1");
        assertThat(choice.discoveryDue()).isFalse();
    }

    private void connect(NodeId sk) {
        Optional<Switch> decision = choice.decide(lsn(0));
        choice.started(decision.map(Switch::safekeeper).orElse(sk));
        choice.connected();
    }

    private static Lsn lsn(long value) {
        return Lsn.of(0x1000000 + value);
    }

    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
