package dev.jneon.safekeeper.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Offloader election (spec F.1) over broker views. */
class OffloaderElectionTest {

    static final long LAG = 128L << 20;
    final TenantTimelineId ttid = TenantTimelineId.generate();

    SafekeeperTimelineInfo info(long node, long commit, long backup, long localStart) {
        return new SafekeeperTimelineInfo(NodeId.of(node), ttid, 1, 1, Lsn.of(commit), Lsn.of(commit), Lsn.of(backup),
                Lsn.of(commit), Lsn.of(commit), Lsn.of(localStart), Lsn.INVALID, "", "", Optional.empty(),
                Optional.empty());
    }

    @Test
    void everyNodeWithTheSameViewPicksTheSameSingleOffloader() {
        var view = List.of(info(3, 0x5000000, 0x1000000, 0x1000000), info(1, 0x5000000, 0x1000000, 0x1000000),
                info(2, 0x5000000, 0x1000000, 0x1000000));
        var picked = OffloaderElection.elect(ttid.timelineId(), view, LAG);
        assertThat(picked).isPresent();
        assertThat(OffloaderElection.elect(ttid.timelineId(), view.reversed(), LAG)).isEqualTo(picked);
    }

    @Test
    void theTimelineIdSpreadsTimelinesOverTheCandidatesInNodeOrder() {
        Set<NodeId> seen = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            var id = TimelineId.generate();
            var view = List.of(info(1, 0x5000000, 0x1000000, 0x1000000), info(2, 0x5000000, 0x1000000, 0x1000000),
                    info(3, 0x5000000, 0x1000000, 0x1000000));
            NodeId picked = OffloaderElection.elect(id, view, LAG).orElseThrow();
            int index = new java.math.BigInteger(1, id.toBytes()).mod(java.math.BigInteger.valueOf(3)).intValue();
            assertThat(picked).isEqualTo(NodeId.of(index + 1));
            seen.add(picked);
        }
        assertThat(seen).hasSize(3);
    }

    @Test
    void nodesMissingWalAboveTheBackupLsnOrLaggingAreNoCandidates() {
        long max = 0x20000000L;
        var view = List.of(info(1, max - LAG - 1, 0x1000000, 0x1000000), // too far behind
                info(2, max, 0x1000000, 0x3000000), // its local WAL starts above the backup LSN
                info(3, max, 0x1000000, 0x1000000));
        assertThat(OffloaderElection.elect(ttid.timelineId(), view, LAG)).contains(NodeId.of(3));
    }

    @Test
    void noLiveNodeNoOffloader() {
        assertThat(OffloaderElection.elect(ttid.timelineId(), List.of(), LAG)).isEmpty();
    }
}
