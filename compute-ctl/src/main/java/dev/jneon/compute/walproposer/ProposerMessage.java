package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgVersionId;

/**
 * What the proposer sends to a safekeeper on its WalPush stream (safekeeper-broker.md B.2), as
 * domain records; {@code grpc.WalPushCodec} converts them to protobuf. Terms are non-negative
 * longs, generations non-negative ints (0 = legacy, no membership). Immutable.
 */
public sealed interface ProposerMessage {

    /** First message of a stream. {@code systemId} is 0 from sync-safekeepers. */
    record Greeting(TenantTimelineId ttid, int generation, PgVersionId pgVersion, long systemId, int walSegSize)
            implements ProposerMessage {
        public Greeting {
            if (ttid == null || pgVersion == null || generation < 0 || walSegSize <= 0) {
                throw new IllegalArgumentException("invalid proposer greeting");
            }
        }
    }

    /** Asks for a vote in {@code term}. */
    record VoteRequest(int generation, long term) implements ProposerMessage {
    }

    /** The winner of {@code term} tells an acceptor where its log and the winner's diverge. */
    record Elected(int generation, long term, Lsn startStreamingAt, TermHistory history) implements ProposerMessage {
        public Elected {
            if (startStreamingAt == null || history == null || history.size() == 0) {
                throw new IllegalArgumentException("elected message needs a start and a non-empty history");
            }
        }
    }

    /**
     * WAL bytes {@code [begin, end)}, raw with page headers; empty (begin == end) is a heartbeat.
     * {@code commit} and {@code truncate} are {@link Lsn#INVALID} when unknown. The array is not
     * copied: the sender must not change it afterwards.
     */
    record Append(int generation, long term, Lsn begin, Lsn end, Lsn commit, Lsn truncate, byte[] data)
            implements ProposerMessage {
        /** Most WAL bytes one append carries (Neon's MAX_SEND_SIZE). */
        public static final int MAX_SEND_SIZE = 128 * 1024;

        public Append {
            if (begin == null || end == null || commit == null || truncate == null || data == null) {
                throw new IllegalArgumentException("append request fields must not be null");
            }
            if (end.minus(begin) != data.length || data.length > MAX_SEND_SIZE) {
                throw new IllegalArgumentException("append [" + begin + ", " + end + ") carries " + data.length
                        + " bytes (at most " + MAX_SEND_SIZE + ", exactly end - begin)");
            }
        }
    }
}
