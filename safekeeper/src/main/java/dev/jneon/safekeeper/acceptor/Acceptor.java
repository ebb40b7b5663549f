package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AcceptorGreeting;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AppendResponse;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.VoteResponse;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.Greeting;
import dev.jneon.safekeeper.acceptor.ProposerMessage.ProposerElected;
import dev.jneon.safekeeper.acceptor.ProposerMessage.VoteRequest;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Paxos acceptor of one timeline (spec B.3): a pure protocol core that decides, over a
 * {@link ControlFileStore} and a {@link WalStore} that do the I/O. Terms are persisted before any
 * vote leaves; appends are accepted only from the leader of the current term after its
 * ProposerElected, contiguously; the reported flush LSN is always fsynced and record-aligned;
 * commit_lsn never passes flush_lsn and never moves back.
 *
 * <p>Appends are written without fsync and answered by {@link #flush()}, which the caller invokes
 * when its inbound queue is empty, at least every second under load, and at disconnect (group fsync).
 *
 * <p>Not thread-safe: the owning timeline calls it under its lock, one message at a time.
 */
public final class Acceptor {

    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

    private final NodeId nodeId;
    private final ControlFileStore controlFile;
    private final WalStore wal;
    private AcceptorState persisted;
    private Lsn commitLsn;
    private Lsn backupLsn;
    private Lsn peerHorizonLsn;
    private Lsn remoteConsistentLsn;
    private Lsn commitCandidate = Lsn.INVALID;
    private Lsn termStartLsn = Lsn.INVALID;
    private Term electedTerm;
    private Optional<PageserverFeedback> pageserverFeedback = Optional.empty();
    private HotStandbyFeedback hsFeedback = HotStandbyFeedback.EMPTY;

    public Acceptor(NodeId nodeId, AcceptorState state, ControlFileStore controlFile, WalStore wal) {
        this.nodeId = nodeId;
        this.controlFile = controlFile;
        this.wal = wal;
        this.persisted = state;
        this.commitLsn = state.commitLsn();
        this.backupLsn = state.backupLsn();
        this.peerHorizonLsn = state.peerHorizonLsn();
        this.remoteConsistentLsn = state.remoteConsistentLsn();
    }

    /**
     * Handles one proposer message; returns the reply, if the message has one. AppendRequests are
     * answered by {@link #flush()}, except a refusal, which is returned at once.
     *
     * @throws ProtocolViolation when the message is not allowed now (the connection must end)
     * @throws IOException when WAL could not be prepared (nothing was changed)
     */
    public Optional<AcceptorMessage> process(ProposerMessage message) throws IOException {
        return switch (message) {
            case Greeting g -> Optional.of(greeting(g));
            case VoteRequest v -> Optional.of(vote(v));
            case ProposerElected e -> {
                elected(e);
                yield Optional.empty();
            }
            case AppendRequest a -> append(a);
        };
    }

    private AcceptorGreeting greeting(Greeting g) {
        AcceptorState s = persisted;
        if (!g.ttid().equals(s.ttid())) {
            throw new ProtocolViolation("greeting for timeline " + g.ttid() + " reached timeline " + s.ttid());
        }
        if (s.server().pgVersion() != 0 && g.pgVersion() / 10000 != s.server().pgMajor()) {
            throw new ProtocolViolation("proposer runs PostgreSQL " + g.pgVersion() + ", timeline holds WAL of "
                    + s.server().pgVersion());
        }
        if (g.walSegSize() != s.server().walSegSize()) {
            throw new ProtocolViolation("proposer uses WAL segments of " + g.walSegSize() + " bytes, timeline "
                    + s.server().walSegSize());
        }
        AcceptorState next = s;
        if (g.systemId() != 0 && g.systemId() != s.server().systemId()) {
            if (s.server().systemId() != 0) {
                throw new ProtocolViolation("proposer's Postgres has system id " + Long.toUnsignedString(g.systemId())
                        + ", timeline holds WAL of system " + Long.toUnsignedString(s.server().systemId()));
            }
            next = next.withServer(s.server().withSystemId(g.systemId()));
        }
        if (g.mconf().generation() > s.mconf().generation()) {
            if (!g.mconf().isMember(nodeId)) {
                throw new ProtocolViolation("node " + nodeId + " is not a member of configuration generation "
                        + g.mconf().generation());
            }
            next = next.withMconf(g.mconf());
        }
        if (next != s) {
            persist(next);
        }
        return new AcceptorGreeting(nodeId, persisted.mconf(), persisted.term());
    }

    private VoteResponse vote(VoteRequest v) {
        checkGeneration(v.generation(), "vote request");
        wal.flush();
        updateCommit();
        boolean given = false;
        if (persisted.term().isBefore(v.term())) {
            persist(persisted.withTerm(v.term()));
            given = true;
        }
        Lsn flush = flushLsn();
        return new VoteResponse(persisted.mconf().generation(), persisted.term(), given, flush, peerHorizonLsn,
                persisted.termHistory().upTo(flush));
    }

    private void elected(ProposerElected e) throws IOException {
        checkGeneration(e.generation(), "elected message");
        if (persisted.term().isAfter(e.term())) {
            log.debug("timeline {}: ignoring elected message of term {}, mine is {}", persisted.ttid(), e.term(),
                    persisted.term());
            return;
        }
        if (persisted.term().isBefore(e.term())) {
            persist(persisted.withTerm(e.term()));
        }
        Lsn flush = flushLsn();
        TermSwitch lcp = e.termHistory().highestCommonPoint(persisted.termHistory().upTo(flush), flush)
                .orElse(e.termHistory().get(0));
        if (!lcp.lsn().equals(e.startStreamingAt())) {
            throw new ProtocolViolation("elected message starts streaming at " + e.startStreamingAt()
                    + " but the highest common point with my log is " + lcp.lsn());
        }
        if (e.startStreamingAt().isBefore(commitLsn)) {
            throw new ProtocolViolation("elected message would truncate at " + e.startStreamingAt()
                    + ", below my commit_lsn " + commitLsn);
        }
        wal.truncate(e.startStreamingAt(), persisted.server().systemId());
        AcceptorState s = persisted;
        Lsn timelineStart = s.timelineStartLsn().isValid() ? s.timelineStartLsn() : e.termHistory().get(0).lsn();
        Lsn localStart = s.localStartLsn().isValid() ? s.localStartLsn() : e.startStreamingAt();
        if (!peerHorizonLsn.isValid()) {
            peerHorizonLsn = timelineStart;
        }
        commitLsn = Lsn.max(commitLsn, timelineStart);
        backupLsn = Lsn.max(backupLsn, timelineStart);
        remoteConsistentLsn = Lsn.max(remoteConsistentLsn, timelineStart);
        persist(s.withStarts(timelineStart, localStart).withTermHistory(e.termHistory()));
        termStartLsn = e.termHistory().last().orElseThrow().lsn();
        electedTerm = e.term();
    }

    private Optional<AcceptorMessage> append(AppendRequest a) throws IOException {
        checkGeneration(a.generation(), "append request");
        if (persisted.term().isBefore(a.term())) {
            throw new ProtocolViolation("append request of term " + a.term() + " before its elected message (term "
                    + persisted.term() + ")");
        }
        if (persisted.term().isAfter(a.term())) {
            return Optional.of(AppendResponse.refusal(persisted.term()));
        }
        if (!a.term().equals(electedTerm)) {
            throw new ProtocolViolation("append request of term " + a.term() + " before its elected message");
        }
        if (a.walData().length > 0) {
            if (wal.pendingTruncation()) {
                throw new ProtocolViolation("append request while a WAL truncation is pending");
            }
            if (!a.begin().equals(wal.writeLsn())) {
                throw new ProtocolViolation("append request begins at " + a.begin() + " but my WAL ends at "
                        + wal.writeLsn() + " (no gaps, no overwrites)");
            }
            wal.write(a.begin(), a.walData());
        }
        if (a.commitLsn().isValid()) {
            commitCandidate = Lsn.max(commitCandidate, a.commitLsn());
            updateCommit();
        }
        peerHorizonLsn = Lsn.max(peerHorizonLsn, a.truncateLsn());
        return Optional.empty();
    }

    /** fsyncs written WAL and answers the appends since the last flush. */
    public AppendResponse flush() {
        wal.flush();
        updateCommit();
        return new AppendResponse(persisted.mconf().generation(), persisted.term(), flushLsn(), persisted.commitLsn(),
                hsFeedback, pageserverFeedback);
    }

    private void updateCommit() {
        Lsn candidate = Lsn.min(commitCandidate, wal.flushLsn());
        if (candidate.isAfter(commitLsn)) {
            commitLsn = candidate;
        }
        Lsn saved = persisted.commitLsn();
        boolean reachedTermStart = termStartLsn.isValid() && saved.isBefore(termStartLsn)
                && !commitLsn.isBefore(termStartLsn);
        if (reachedTermStart || commitLsn.minus(saved) >= persisted.server().walSegSize()) {
            persistProgress();
        }
    }

    /** Persists the in-memory progress LSNs if they moved since the last control-file write. */
    public void persistProgress() {
        AcceptorState s = persisted;
        if (!commitLsn.equals(s.commitLsn()) || !backupLsn.equals(s.backupLsn())
                || !peerHorizonLsn.equals(s.peerHorizonLsn()) || !remoteConsistentLsn.equals(s.remoteConsistentLsn())) {
            persist(s);
        }
    }

    /** Records a pageserver's feedback: forwarded in the next AppendResponse; remote_consistent_lsn = max. */
    public void recordPageserverFeedback(PageserverFeedback feedback) {
        pageserverFeedback = Optional.of(feedback);
        remoteConsistentLsn = Lsn.max(remoteConsistentLsn, feedback.remoteConsistentLsn());
    }

    /** Raises backup_lsn to {@code lsn} (WAL offloaded up to there) and persists it at once if it moved. */
    public void advanceBackupLsn(Lsn lsn) {
        if (lsn.isAfter(backupLsn)) {
            backupLsn = lsn;
            persist(persisted);
        }
    }

    /**
     * Learns what a peer published: backup_lsn, remote_consistent_lsn and peer_horizon_lsn are
     * raised to the peer's values (lazily persisted; lost values are relearned).
     */
    public void learnFromPeer(Lsn peerBackup, Lsn peerRemoteConsistent, Lsn peerHorizon) {
        backupLsn = Lsn.max(backupLsn, peerBackup);
        remoteConsistentLsn = Lsn.max(remoteConsistentLsn, peerRemoteConsistent);
        peerHorizonLsn = Lsn.max(peerHorizonLsn, peerHorizon);
    }

    /**
     * Moves local_start_lsn up to {@code lsn} (before WAL below it is deleted) and persists it with
     * the current progress LSNs, so that a restart never scans from a commit LSN whose segment is gone.
     */
    public void advanceLocalStart(Lsn lsn) {
        if (lsn.isAfter(commitLsn) || lsn.isAfter(flushLsn())) {
            throw new IllegalArgumentException("local_start_lsn " + lsn + " would pass commit_lsn " + commitLsn
                    + " or flush_lsn " + flushLsn());
        }
        if (lsn.isAfter(persisted.localStartLsn())) {
            persist(persisted.withStarts(persisted.timelineStartLsn(), lsn));
        }
    }

    /** Records the aggregated hot-standby feedback of replicas, forwarded in the next AppendResponse. */
    public void recordHotStandbyFeedback(HotStandbyFeedback feedback) {
        hsFeedback = feedback;
    }

    private void persist(AcceptorState next) {
        AcceptorState withProgress = next.withProgress(commitLsn, backupLsn, peerHorizonLsn, remoteConsistentLsn);
        controlFile.persist(withProgress);
        persisted = withProgress;
    }

    private void checkGeneration(long generation, String what) {
        if (generation != persisted.mconf().generation()) {
            throw new ProtocolViolation(what + " of membership generation " + generation + ", mine is "
                    + persisted.mconf().generation());
        }
    }

    /** The last persisted state (the progress LSNs may lag the in-memory ones). */
    public AcceptorState state() {
        return persisted;
    }

    public Term term() {
        return persisted.term();
    }

    /** fsynced, record-aligned end of WAL, at least timeline_start_lsn. */
    public Lsn flushLsn() {
        return Lsn.max(wal.flushLsn(), persisted.timelineStartLsn());
    }

    public Lsn commitLsn() {
        return commitLsn;
    }

    public Lsn backupLsn() {
        return backupLsn;
    }

    public Lsn peerHorizonLsn() {
        return peerHorizonLsn;
    }

    public Lsn remoteConsistentLsn() {
        return remoteConsistentLsn;
    }

    /** Term of the last effective history entry ({@code epoch}). */
    public Term lastLogTerm() {
        return persisted.termHistory().lastLogTerm(flushLsn());
    }

    public NodeId nodeId() {
        return nodeId;
    }
}
