package dev.jneon.common.broker;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import java.util.Objects;
import java.util.Optional;

/**
 * One safekeeper's view of one timeline, published about once a second while the timeline is
 * active. Terms are unsigned 64-bit numbers. Immutable.
 *
 * @param safekeeperId the publishing safekeeper
 * @param ttid the timeline
 * @param term highest term the safekeeper has voted for or accepted
 * @param lastLogTerm term of the last entry of its effective term history
 * @param flushLsn end of the last complete record it has fsynced
 * @param commitLsn WAL it knows to be committed by a quorum and holds locally
 * @param backupLsn end of the last WAL segment offloaded to remote storage
 * @param remoteConsistentLsn how far the pageserver's layers are durable in remote storage
 * @param peerHorizonLsn lowest LSN some acceptor may still need, as the proposer last said
 * @param localStartLsn where this safekeeper's local WAL begins
 * @param standbyHorizon lowest LSN read replicas still need
 * @param safekeeperConnstr host:port to stream WAL from (may be empty)
 * @param httpConnstr host:port of the management HTTP API (may be empty)
 * @param httpsConnstr host:port of the management HTTPS API, if it has one
 * @param availabilityZone the safekeeper's availability zone, if known
 */
public record SafekeeperTimelineInfo(
        NodeId safekeeperId,
        TenantTimelineId ttid,
        long term,
        long lastLogTerm,
        Lsn flushLsn,
        Lsn commitLsn,
        Lsn backupLsn,
        Lsn remoteConsistentLsn,
        Lsn peerHorizonLsn,
        Lsn localStartLsn,
        Lsn standbyHorizon,
        String safekeeperConnstr,
        String httpConnstr,
        Optional<String> httpsConnstr,
        Optional<String> availabilityZone) implements BrokerMessage {

    public SafekeeperTimelineInfo {
        Objects.requireNonNull(safekeeperId, "safekeeperId");
        Objects.requireNonNull(ttid, "ttid");
        Objects.requireNonNull(flushLsn, "flushLsn");
        Objects.requireNonNull(commitLsn, "commitLsn");
        Objects.requireNonNull(backupLsn, "backupLsn");
        Objects.requireNonNull(remoteConsistentLsn, "remoteConsistentLsn");
        Objects.requireNonNull(peerHorizonLsn, "peerHorizonLsn");
        Objects.requireNonNull(localStartLsn, "localStartLsn");
        Objects.requireNonNull(standbyHorizon, "standbyHorizon");
        Objects.requireNonNull(safekeeperConnstr, "safekeeperConnstr");
        Objects.requireNonNull(httpConnstr, "httpConnstr");
        Objects.requireNonNull(httpsConnstr, "httpsConnstr");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
    }
}
