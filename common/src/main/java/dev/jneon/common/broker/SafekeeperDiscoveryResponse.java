package dev.jneon.common.broker;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import java.util.Objects;
import java.util.Optional;

/**
 * A safekeeper's answer to a {@link SafekeeperDiscoveryRequest}: the part of its
 * {@link SafekeeperTimelineInfo} a pageserver needs to pick a WAL source. Immutable.
 *
 * @param safekeeperId the answering safekeeper
 * @param ttid the timeline
 * @param commitLsn WAL committed by a quorum and held by this safekeeper
 * @param safekeeperConnstr host:port to stream WAL from
 * @param availabilityZone the safekeeper's availability zone, if known
 * @param standbyHorizon lowest LSN read replicas still need
 */
public record SafekeeperDiscoveryResponse(
        NodeId safekeeperId,
        TenantTimelineId ttid,
        Lsn commitLsn,
        String safekeeperConnstr,
        Optional<String> availabilityZone,
        Lsn standbyHorizon) implements BrokerMessage {

    public SafekeeperDiscoveryResponse {
        Objects.requireNonNull(safekeeperId, "safekeeperId");
        Objects.requireNonNull(ttid, "ttid");
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(safekeeperConnstr, "safekeeperConnstr");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        Objects.requireNonNull(standbyHorizon, "standbyHorizon");
    }
}
