package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;

/**
 * What a safekeeper answers on a WalPush stream (safekeeper-broker.md B.2), as domain records;
 * {@code grpc.WalPushCodec} converts them from protobuf. Immutable.
 */
public sealed interface AcceptorMessage {

    /** Reply to the greeting: the acceptor's id, membership generation and current term. */
    record Greeting(long nodeId, int generation, boolean jointConfiguration, long term) implements AcceptorMessage {
    }

    /** Reply to a vote request; {@code history} is the acceptor's effective term history. */
    record VoteResponse(int generation, long term, boolean voteGiven, Lsn flush, Lsn truncate, TermHistory history)
            implements AcceptorMessage {
        public VoteResponse {
            if (flush == null || truncate == null || history == null) {
                throw new IllegalArgumentException("vote response fields must not be null");
            }
        }
    }

    /**
     * Progress of the acceptor: flushed WAL end and persisted commit LSN. A refusal carries only a
     * (higher) term and zero positions.
     */
    record AppendResponse(int generation, long term, Lsn flush, Lsn commit) implements AcceptorMessage {
        public AppendResponse {
            if (flush == null || commit == null) {
                throw new IllegalArgumentException("append response fields must not be null");
            }
        }
    }
}
