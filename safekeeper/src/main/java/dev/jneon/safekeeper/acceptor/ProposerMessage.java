package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;

/** What a walproposer sends an acceptor on a WalPush stream (spec B.2). Immutable records. */
public sealed interface ProposerMessage {

    /** Largest WAL payload of one AppendRequest (Neon's MAX_SEND_SIZE). */
    int MAX_SEND_SIZE = 128 * 1024;

    /** First message of a stream. {@code systemId} 0 = unknown (sync-safekeepers). */
    record Greeting(TenantTimelineId ttid, Configuration mconf, int pgVersion, long systemId, int walSegSize)
            implements ProposerMessage {
        public Greeting {
            if (ttid == null || mconf == null) {
                throw new IllegalArgumentException("greeting needs a timeline id and a configuration");
            }
        }
    }

    /** Asks for a vote in {@code term}. */
    record VoteRequest(long generation, Term term) implements ProposerMessage {
        public VoteRequest {
            if (term == null) {
                throw new IllegalArgumentException("vote request needs a term");
            }
        }
    }

    /** The winner of {@code term}: truncate at {@code startStreamingAt} and adopt {@code termHistory}. */
    record ProposerElected(long generation, Term term, Lsn startStreamingAt, TermHistory termHistory)
            implements ProposerMessage {
        public ProposerElected {
            if (term == null || startStreamingAt == null || termHistory == null || termHistory.isEmpty()) {
                throw new IllegalArgumentException("elected message needs a term, a start LSN and a non-empty history");
            }
        }
    }

    /**
     * WAL bytes {@code [begin, end)}, raw with page headers; empty = heartbeat. {@code commitLsn} and
     * {@code truncateLsn} are {@link Lsn#INVALID} when the proposer has none. The array is not copied:
     * the sender hands it over.
     */
    record AppendRequest(long generation, Term term, Lsn begin, Lsn end, Lsn commitLsn, Lsn truncateLsn,
            byte[] walData) implements ProposerMessage {
        public AppendRequest {
            if (term == null || begin == null || end == null || commitLsn == null || truncateLsn == null
                    || walData == null) {
                throw new IllegalArgumentException("append request fields must not be null");
            }
            if (end.minus(begin) != walData.length || end.isBefore(begin)) {
                throw new IllegalArgumentException("append request [" + begin + ", " + end + ") carries "
                        + walData.length + " bytes");
            }
            if (walData.length > MAX_SEND_SIZE) {
                throw new IllegalArgumentException("append request carries " + walData.length + " bytes, more than "
                        + MAX_SEND_SIZE);
            }
        }
    }
}
