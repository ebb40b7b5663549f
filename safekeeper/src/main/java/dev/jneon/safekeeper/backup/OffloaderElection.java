package dev.jneon.safekeeper.backup;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TimelineId;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which safekeeper offloads a timeline's WAL (spec F.1), decided by each safekeeper alone from the
 * same broker view, so all agree while their views agree (a brief double offloader is harmless:
 * both write the same objects). Candidates are the live nodes whose local WAL reaches back to the
 * backup LSN ({@code local_start_lsn <= backup_lsn}, using the highest backup LSN any of them
 * published) and whose commit LSN is within {@code maxLagBytes} of the highest; sorted by node id,
 * the offloader is {@code candidates[timeline_id as unsigned 128-bit % count]}. No live node (no
 * broker) means no offloader. Stateless.
 */
public final class OffloaderElection {

    private OffloaderElection() {
    }

    public static Optional<NodeId> elect(TimelineId timeline, List<SafekeeperTimelineInfo> live, long maxLagBytes) {
        Lsn backup = live.stream().map(SafekeeperTimelineInfo::backupLsn).max(Comparator.naturalOrder())
                .orElse(Lsn.INVALID);
        Lsn maxCommit = live.stream().map(SafekeeperTimelineInfo::commitLsn).max(Comparator.naturalOrder())
                .orElse(Lsn.INVALID);
        List<NodeId> caughtUp = live.stream()
                .filter(i -> !i.localStartLsn().isAfter(backup))
                .filter(i -> maxCommit.minus(i.commitLsn()) <= maxLagBytes)
                .map(SafekeeperTimelineInfo::safekeeperId).distinct().sorted().toList();
        if (caughtUp.isEmpty()) {
            return Optional.empty();
        }
        int index = new BigInteger(1, timeline.toBytes()).mod(BigInteger.valueOf(caughtUp.size())).intValue();
        return Optional.of(caughtUp.get(index));
    }
}
