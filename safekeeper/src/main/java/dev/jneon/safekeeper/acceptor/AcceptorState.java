package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;

/**
 * What a safekeeper remembers about one timeline across restarts (the control file's content,
 * spec D.5): membership, the highest term voted for, the adopted term history, the cluster, and
 * the LSNs the protocol persists. The LSNs learned from WAL progress (commit, backup, peer horizon,
 * remote consistent) are persisted lazily and may lag the in-memory values. Immutable; the
 * {@code with*} methods return changed copies.
 *
 * @param creationTsUs when the timeline was created here, microseconds since the Unix epoch
 */
public record AcceptorState(TenantTimelineId ttid, Configuration mconf, Term term, TermHistory termHistory,
        ServerInfo server, Lsn timelineStartLsn, Lsn localStartLsn, Lsn commitLsn, Lsn backupLsn,
        Lsn peerHorizonLsn, Lsn remoteConsistentLsn, long creationTsUs) {

    public AcceptorState {
        if (ttid == null || mconf == null || term == null || termHistory == null || server == null
                || timelineStartLsn == null || localStartLsn == null || commitLsn == null || backupLsn == null
                || peerHorizonLsn == null || remoteConsistentLsn == null) {
            throw new IllegalArgumentException("acceptor state fields must not be null");
        }
        if (localStartLsn.isBefore(timelineStartLsn)) {
            throw new IllegalArgumentException("local_start_lsn " + localStartLsn + " is below timeline_start_lsn "
                    + timelineStartLsn);
        }
    }

    /**
     * A new timeline whose WAL starts at {@code startLsn} and is committed up to {@code commitLsn}:
     * term 0, history {@code [(0, startLsn)]}.
     */
    public static AcceptorState create(TenantTimelineId ttid, Configuration mconf, ServerInfo server, Lsn startLsn,
            Lsn commitLsn, long creationTsUs) {
        if (!startLsn.isValid()) {
            throw new IllegalArgumentException("a timeline needs a start LSN");
        }
        if (commitLsn.isBefore(startLsn)) {
            throw new IllegalArgumentException("commit_lsn " + commitLsn + " is below start_lsn " + startLsn);
        }
        return new AcceptorState(ttid, mconf, Term.INITIAL, TermHistory.of(new TermSwitch(Term.INITIAL, startLsn)),
                server, startLsn, startLsn, commitLsn, startLsn, startLsn, startLsn, creationTsUs);
    }

    public AcceptorState withTerm(Term t) {
        return new AcceptorState(ttid, mconf, t, termHistory, server, timelineStartLsn, localStartLsn, commitLsn,
                backupLsn, peerHorizonLsn, remoteConsistentLsn, creationTsUs);
    }

    public AcceptorState withMconf(Configuration c) {
        return new AcceptorState(ttid, c, term, termHistory, server, timelineStartLsn, localStartLsn, commitLsn,
                backupLsn, peerHorizonLsn, remoteConsistentLsn, creationTsUs);
    }

    public AcceptorState withServer(ServerInfo s) {
        return new AcceptorState(ttid, mconf, term, termHistory, s, timelineStartLsn, localStartLsn, commitLsn,
                backupLsn, peerHorizonLsn, remoteConsistentLsn, creationTsUs);
    }

    public AcceptorState withTermHistory(TermHistory h) {
        return new AcceptorState(ttid, mconf, term, h, server, timelineStartLsn, localStartLsn, commitLsn,
                backupLsn, peerHorizonLsn, remoteConsistentLsn, creationTsUs);
    }

    public AcceptorState withStarts(Lsn timelineStart, Lsn localStart) {
        return new AcceptorState(ttid, mconf, term, termHistory, server, timelineStart, localStart, commitLsn,
                backupLsn, peerHorizonLsn, remoteConsistentLsn, creationTsUs);
    }

    /** The four LSNs learned from WAL progress, replaced together. */
    public AcceptorState withProgress(Lsn commit, Lsn backup, Lsn peerHorizon, Lsn remoteConsistent) {
        return new AcceptorState(ttid, mconf, term, termHistory, server, timelineStartLsn, localStartLsn, commit,
                backup, peerHorizon, remoteConsistent, creationTsUs);
    }
}
