package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import java.util.Optional;

/** What an acceptor answers on a WalPush stream (spec B.2). Immutable records. */
public sealed interface AcceptorMessage {

    /** Reply to a greeting: this node, its configuration after a possible switch, its term. */
    record AcceptorGreeting(NodeId nodeId, Configuration mconf, Term term) implements AcceptorMessage {}

    /** Reply to a vote request; {@code termHistory} is the effective history (entries at or below flush). */
    record VoteResponse(long generation, Term term, boolean voteGiven, Lsn flushLsn, Lsn truncateLsn,
            TermHistory termHistory) implements AcceptorMessage {}

    /**
     * Progress after appends: {@code commitLsn} is the persisted commit LSN. A refusal (the acceptor
     * is in a higher term) carries only {@code term}; the LSNs are {@link Lsn#INVALID}.
     */
    record AppendResponse(long generation, Term term, Lsn flushLsn, Lsn commitLsn, HotStandbyFeedback hsFeedback,
            Optional<PageserverFeedback> pageserverFeedback) implements AcceptorMessage {

        public static AppendResponse refusal(Term term) {
            return new AppendResponse(0, term, Lsn.INVALID, Lsn.INVALID, HotStandbyFeedback.EMPTY, Optional.empty());
        }
    }
}
