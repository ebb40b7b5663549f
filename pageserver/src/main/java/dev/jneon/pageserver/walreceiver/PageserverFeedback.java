package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.id.Lsn;
import java.util.Objects;

/**
 * The pageserver's progress report on a WAL stream (spec safekeeper-broker.md E.4). Immutable.
 *
 * @param currentTimelineSize logical size of the timeline in bytes
 * @param lastReceivedLsn end of the WAL received
 * @param diskConsistentLsn end of the WAL whose values are in local layer files
 * @param remoteConsistentLsn end of the WAL durable in remote storage (0: nothing uploaded)
 * @param replyTimeUs microseconds since the Unix epoch
 * @param shardNumber the reporting shard
 * @param corruptionDetected the pageserver found WAL it cannot ingest
 */
public record PageserverFeedback(long currentTimelineSize, Lsn lastReceivedLsn, Lsn diskConsistentLsn,
        Lsn remoteConsistentLsn, long replyTimeUs, int shardNumber, boolean corruptionDetected) {

    public PageserverFeedback {
        Objects.requireNonNull(lastReceivedLsn, "lastReceivedLsn");
        Objects.requireNonNull(diskConsistentLsn, "diskConsistentLsn");
        Objects.requireNonNull(remoteConsistentLsn, "remoteConsistentLsn");
    }
}
