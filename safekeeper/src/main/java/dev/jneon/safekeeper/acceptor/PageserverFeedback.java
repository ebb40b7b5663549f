package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;

/**
 * What a pageserver reports about a timeline it ingests (spec E.4); forwarded to the proposer in
 * the next AppendResponse. Immutable.
 *
 * @param replytimeUs when it was sent, microseconds since the Unix epoch
 */
public record PageserverFeedback(long currentTimelineSize, Lsn lastReceivedLsn, Lsn diskConsistentLsn,
        Lsn remoteConsistentLsn, long replytimeUs, int shardNumber, boolean corruptionDetected) {

    public PageserverFeedback {
        if (lastReceivedLsn == null || diskConsistentLsn == null || remoteConsistentLsn == null) {
            throw new IllegalArgumentException("pageserver feedback LSNs must not be null");
        }
    }
}
