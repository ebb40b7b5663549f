package dev.jneon.safekeeper.timeline;

import dev.jneon.common.id.Lsn;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.Term;
import java.util.List;

/**
 * A consistent snapshot of one timeline's positions (in-memory values), taken under its lock.
 * Immutable.
 *
 * @param state the last persisted state (membership, term history, cluster, starts)
 * @param consumers the StreamWal readers connected now
 * @param receivers the WalPush connections now
 */
public record TimelineStatus(AcceptorState state, Term term, Term lastLogTerm, Lsn flushLsn, Lsn commitLsn,
        Lsn backupLsn, Lsn peerHorizonLsn, Lsn remoteConsistentLsn, List<WalConsumer> consumers,
        List<WalReceiver> receivers) {

    /** A StreamWal reader and what it last reported. Immutable. */
    public record WalConsumer(long connId, String applicationName, Lsn startLsn, Lsn sentLsn, Lsn lastFeedbackLsn,
            Lsn remoteConsistentLsn) {}

    /** A WalPush connection: "Voting" until its proposer is elected, then "Streaming". Immutable. */
    public record WalReceiver(long connId, String status) {}
}
