package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.compute.walproposer.ProposerAction.CommitAdvanced;
import dev.jneon.compute.walproposer.ProposerAction.Disconnect;
import dev.jneon.compute.walproposer.ProposerAction.Failed;
import dev.jneon.compute.walproposer.ProposerAction.Send;
import dev.jneon.compute.walproposer.ProposerAction.SendWal;
import dev.jneon.compute.walproposer.ProposerAction.Synced;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The walproposer's consensus core (safekeeper-broker.md B.4-B.6, C): it decides, the caller does
 * the I/O. Inputs are stream events of safekeeper {@code sk} (its index in the configured list)
 * and new WAL; outputs are {@link ProposerAction}s. No clocks, threads or sockets, so a seeded
 * simulation can drive it.
 *
 * <p>Global phase {@code COLLECTING_TERMS -> CAMPAIGN -> ELECTED} (then {@code SYNCED} in sync
 * mode); any restart condition of B.4 ends in {@code FAILED}, after which every input yields
 * nothing: a caller that wants to try again creates a new Proposer. Per safekeeper the caller's
 * CONNECTING and STREAM_OPEN states precede {@link #onConnected}.
 *
 * <p>Not thread-safe; owned by one driver that serializes all calls.
 */
public final class Proposer {

    /** Global state. */
    public enum Phase { COLLECTING_TERMS, CAMPAIGN, ELECTED, SYNCED, FAILED }

    /** Per-safekeeper connection state (B.4). */
    public enum ConnState { OFFLINE, HANDSHAKE_RECV, WAIT_VOTING, WAIT_VERDICT, WAIT_ELECTED, ACTIVE }

    private static final class Slot {
        ConnState state = ConnState.OFFLINE;
        long nodeId = -1;
        boolean votedThisTerm;
        AcceptorMessage.VoteResponse vote;
        /** Last flush reported in an AppendResponse of this term; counts even while offline. */
        Lsn flush = Lsn.INVALID;
        Lsn commit = Lsn.INVALID;
        /** Next LSN to send. */
        Lsn streamingAt = Lsn.INVALID;
        /** WAL up to here on this safekeeper is part of our history (readable with our term). */
        Lsn validUpTo = Lsn.INVALID;
        /**
         * streamingAt when the last AppendResponse arrived: the in-flight window counts from here,
         * not from flush, because a safekeeper reports only record ends and one record may be larger
         * than the window (B.3.5 guarantees a response once its queue drains).
         */
        Lsn windowBase = Lsn.INVALID;
    }

    private final ProposerConfig config;
    private final Slot[] slots;
    private Phase phase = Phase.COLLECTING_TERMS;
    private int generation;
    private long propTerm;
    private Lsn termStartLsn = Lsn.INVALID;
    private TermHistory history = TermHistory.EMPTY;
    private int donor = -1;
    private Lsn availableLsn = Lsn.INVALID;
    private Lsn commitLsn = Lsn.INVALID;
    private Lsn truncateLsn = Lsn.INVALID;
    private String failure;

    public Proposer(ProposerConfig config) {
        this.config = config;
        this.slots = new Slot[config.safekeeperCount()];
        Arrays.setAll(slots, i -> new Slot());
    }

    // ------------------------------------------------------------------ inputs

    /** The stream to {@code sk} is open: greet. */
    public List<ProposerAction> onConnected(int sk) {
        if (stopped()) {
            return List.of();
        }
        slots[sk].state = ConnState.HANDSHAKE_RECV;
        return List.of(new Send(sk, new ProposerMessage.Greeting(config.ttid(), generation, config.pgVersion(),
                config.systemId(), config.walSegSize())));
    }

    /** The stream to {@code sk} broke or was closed. Its last reported flush still counts for commit. */
    public List<ProposerAction> onDisconnected(int sk) {
        Slot s = slots[sk];
        s.state = ConnState.OFFLINE;
        s.streamingAt = Lsn.INVALID;
        List<ProposerAction> out = new ArrayList<>();
        if (phase == Phase.ELECTED && config.sync()) {
            checkSynced(out);
        }
        return out;
    }

    /** New WAL from Postgres: {@code [availableLsn, end)} is now in the caller's buffer. */
    public List<ProposerAction> onWalAvailable(Lsn end) {
        if (stopped()) {
            return List.of();
        }
        if (phase != Phase.ELECTED) {
            throw new IllegalStateException("WAL arrived while " + phase);
        }
        if (end.isBefore(availableLsn)) {
            throw new IllegalArgumentException("WAL end " + end + " is below the available end " + availableLsn);
        }
        availableLsn = end;
        List<ProposerAction> out = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            pump(i, out);
        }
        return out;
    }

    /** An idle ACTIVE safekeeper is due a heartbeat (an empty append at its position). */
    public List<ProposerAction> heartbeat(int sk) {
        if (stopped() || slots[sk].state != ConnState.ACTIVE) {
            return List.of();
        }
        return List.of(emptyAppend(sk));
    }

    /** A message from {@code sk}'s stream. */
    public List<ProposerAction> onMessage(int sk, AcceptorMessage message) {
        if (stopped()) {
            return List.of();
        }
        List<ProposerAction> out = new ArrayList<>();
        switch (message) {
            case AcceptorMessage.Greeting g -> onGreeting(sk, g, out);
            case AcceptorMessage.VoteResponse v -> onVote(sk, v, out);
            case AcceptorMessage.AppendResponse a -> onAppendResponse(sk, a, out);
        }
        return out;
    }

    // ------------------------------------------------------------------ election

    private void onGreeting(int sk, AcceptorMessage.Greeting g, List<ProposerAction> out) {
        Slot s = slots[sk];
        if (s.state != ConnState.HANDSHAKE_RECV) {
            out.add(new Disconnect(sk, "unexpected greeting in state " + s.state));
            return;
        }
        if (g.jointConfiguration()) {
            fail(out, "safekeeper " + g.nodeId() + " is in a joint membership configuration, which this proposer"
                    + " does not drive");
            return;
        }
        if (g.generation() > generation) {
            if (phase != Phase.COLLECTING_TERMS) {
                fail(out, "safekeeper " + g.nodeId() + " switched to membership generation " + g.generation()
                        + " during the election of term " + propTerm);
                return;
            }
            generation = g.generation();
        }
        s.nodeId = g.nodeId();
        s.state = ConnState.WAIT_VOTING;
        if (phase == Phase.COLLECTING_TERMS) {
            propTerm = Math.max(propTerm, g.term());
            if (count(ConnState.WAIT_VOTING) >= config.quorum()) {
                propTerm++;
                phase = Phase.CAMPAIGN;
                for (int i = 0; i < slots.length; i++) {
                    if (slots[i].state == ConnState.WAIT_VOTING) {
                        requestVote(i, out);
                    }
                }
            }
        } else if (g.term() > propTerm) {
            fail(out, anotherProposer(sk, g.term()));
        } else {
            requestVote(sk, out);
        }
    }

    private void requestVote(int sk, List<ProposerAction> out) {
        slots[sk].state = ConnState.WAIT_VERDICT;
        out.add(new Send(sk, new ProposerMessage.VoteRequest(generation, propTerm)));
    }

    private void onVote(int sk, AcceptorMessage.VoteResponse v, List<ProposerAction> out) {
        Slot s = slots[sk];
        if (s.state != ConnState.WAIT_VERDICT) {
            out.add(new Disconnect(sk, "unexpected vote response in state " + s.state));
            return;
        }
        if (v.term() > propTerm) {
            fail(out, anotherProposer(sk, v.term()));
            return;
        }
        // A refusal in our own term is fine once we know the vote is ours: it was given to us on an
        // earlier stream, or we are elected (only our term's leader can be elected in it).
        boolean ours = v.voteGiven() || (v.term() == propTerm && (s.votedThisTerm || phase == Phase.ELECTED));
        if (!ours) {
            fail(out, "safekeeper " + s.nodeId + " refused its vote for term " + propTerm
                    + ": another proposer holds term " + v.term());
            return;
        }
        s.vote = v;
        s.votedThisTerm = true;
        s.state = ConnState.WAIT_ELECTED;
        if (phase == Phase.CAMPAIGN && count(ConnState.WAIT_ELECTED) >= config.quorum()) {
            elect(out);
        } else if (phase == Phase.ELECTED) {
            sendElected(sk, out);
        }
    }

    private void elect(List<ProposerAction> out) {
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (s.state != ConnState.WAIT_ELECTED) {
                continue;
            }
            if (donor < 0 || compareLog(s.vote, slots[donor].vote) > 0) {
                donor = i;
            }
            truncateLsn = Lsn.max(truncateLsn, s.vote.truncate());
        }
        AcceptorMessage.VoteResponse best = slots[donor].vote;
        termStartLsn = best.flush();
        if (!termStartLsn.isValid()) {
            fail(out, "safekeepers hold no WAL for timeline " + config.ttid() + " (flush 0/0): create the timeline"
                    + " with a start LSN");
            return;
        }
        if (!config.sync() && config.basebackupLsn().isValid() && best.history().lastTerm() != config.lastElectedTerm()
                && !config.basebackupLsn().equals(termStartLsn)
                && !config.basebackupLsn().equals(skipPageHeader(termStartLsn, config.walSegSize()))) {
            fail(out, "term " + propTerm + " starts at " + termStartLsn + " but Postgres started from "
                    + config.basebackupLsn() + ": its data is stale, restart the compute");
            return;
        }
        history = best.history().append(propTerm, termStartLsn);
        availableLsn = termStartLsn;
        if (config.sync() && truncateLsn.equals(termStartLsn)) {
            phase = Phase.SYNCED;
            out.add(new Synced(termStartLsn));
            return;
        }
        phase = Phase.ELECTED;
        out.add(new ProposerAction.Elected(propTerm, termStartLsn, history));
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].state == ConnState.WAIT_ELECTED) {
                sendElected(i, out);
            }
        }
    }

    private static int compareLog(AcceptorMessage.VoteResponse a, AcceptorMessage.VoteResponse b) {
        int c = Long.compare(a.history().lastTerm(), b.history().lastTerm());
        return c != 0 ? c : a.flush().compareTo(b.flush());
    }

    private void sendElected(int sk, List<ProposerAction> out) {
        Slot s = slots[sk];
        Lsn start;
        try {
            start = history.startPointFor(s.vote.history(), s.vote.flush(), propTerm);
        } catch (IllegalStateException e) {
            fail(out, "safekeeper " + s.nodeId + ": " + e.getMessage());
            return;
        }
        out.add(new Send(sk, new ProposerMessage.Elected(generation, propTerm, start, history)));
        s.state = ConnState.ACTIVE;
        s.streamingAt = start;
        s.validUpTo = start;
        s.windowBase = start;
        pump(sk, out);
        if (s.streamingAt.equals(availableLsn)) {
            out.add(emptyAppend(sk));
        }
    }

    // ------------------------------------------------------------------ streaming and commit

    private void onAppendResponse(int sk, AcceptorMessage.AppendResponse a, List<ProposerAction> out) {
        Slot s = slots[sk];
        if (s.state != ConnState.ACTIVE) {
            out.add(new Disconnect(sk, "unexpected append response in state " + s.state));
            return;
        }
        if (a.term() > propTerm) {
            fail(out, anotherProposer(sk, a.term()));
            return;
        }
        if (a.generation() != generation) {
            fail(out, "safekeeper " + s.nodeId + " answered with membership generation " + a.generation()
                    + ", ours is " + generation);
            return;
        }
        s.flush = a.flush();
        s.commit = a.commit();
        s.validUpTo = Lsn.max(s.validUpTo, a.flush());
        s.windowBase = s.streamingAt;
        Lsn quorumCommit = quorumFlush();
        if (quorumCommit.isAfter(commitLsn)) {
            commitLsn = quorumCommit;
            out.add(new CommitAdvanced(commitLsn));
            for (int i = 0; i < slots.length; i++) {
                if (slots[i].state == ConnState.ACTIVE) {
                    out.add(emptyAppend(i));
                }
            }
        }
        Lsn minFlush = Lsn.MAX;
        for (Slot o : slots) {
            minFlush = Lsn.min(minFlush, o.flush);
        }
        truncateLsn = Lsn.max(truncateLsn, Lsn.min(commitLsn, minFlush));
        pump(sk, out);
        if (config.sync()) {
            checkSynced(out);
        }
    }

    /** Quorum flush per B.6: flushes below the term start count as 0. */
    private Lsn quorumFlush() {
        List<Lsn> flushes = new ArrayList<>(slots.length);
        for (Slot s : slots) {
            flushes.add(s.flush.isBefore(termStartLsn) ? Lsn.INVALID : s.flush);
        }
        flushes.sort(null);
        return flushes.get(slots.length - config.quorum());
    }

    private void pump(int sk, List<ProposerAction> out) {
        Slot s = slots[sk];
        if (s.state != ConnState.ACTIVE) {
            return;
        }
        while (s.streamingAt.isBefore(availableLsn) && s.streamingAt.minus(s.windowBase) < config.maxInFlightBytes()) {
            Lsn end = Lsn.min(s.streamingAt.plus(ProposerMessage.Append.MAX_SEND_SIZE), availableLsn);
            out.add(new SendWal(sk, propTerm, generation, s.streamingAt, end, commitLsn, truncateLsn));
            s.streamingAt = end;
        }
    }

    private SendWal emptyAppend(int sk) {
        Lsn at = slots[sk].streamingAt;
        return new SendWal(sk, propTerm, generation, at, at, commitLsn, truncateLsn);
    }

    private void checkSynced(List<ProposerAction> out) {
        if (commitLsn.isBefore(termStartLsn)) {
            return;
        }
        for (Slot s : slots) {
            if (s.state != ConnState.OFFLINE && s.commit.isBefore(termStartLsn)) {
                return;
            }
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].state == ConnState.ACTIVE) {
                out.add(emptyAppend(i));
            }
        }
        phase = Phase.SYNCED;
        out.add(new Synced(termStartLsn));
    }

    // ------------------------------------------------------------------ queries and helpers

    /**
     * A safekeeper other than {@code except} that is ACTIVE in our term and holds our WAL up to
     * {@code end}, to read older WAL from (B.6); the donor if it qualifies, else the most advanced.
     */
    public OptionalInt walSourceFor(Lsn end, int except) {
        int best = -1;
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (i == except || s.state != ConnState.ACTIVE || s.validUpTo.isBefore(end)) {
                continue;
            }
            if (best < 0 || i == donor || (best != donor && s.validUpTo.isAfter(slots[best].validUpTo))) {
                best = i;
            }
        }
        return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
    }

    private String anotherProposer(int sk, long term) {
        return "safekeeper " + slots[sk].nodeId + " has term " + term + " > our term " + propTerm
                + ": another proposer holds term " + term;
    }

    private void fail(List<ProposerAction> out, String reason) {
        phase = Phase.FAILED;
        failure = reason;
        out.add(new Failed(reason));
    }

    private boolean stopped() {
        return phase == Phase.FAILED || phase == Phase.SYNCED;
    }

    private int count(ConnState state) {
        int n = 0;
        for (Slot s : slots) {
            n += s.state == state ? 1 : 0;
        }
        return n;
    }

    /** {@code lsn} moved past a page header if it sits at a page start (B.5 step 7). */
    static Lsn skipPageHeader(Lsn lsn, int walSegSize) {
        if (lsn.isSegmentStart(walSegSize)) {
            return lsn.plus(WalFormat.LONG_PAGE_HEADER_SIZE);
        }
        return lsn.isPageStart() ? lsn.plus(WalFormat.SHORT_PAGE_HEADER_SIZE) : lsn;
    }

    public Phase phase() {
        return phase;
    }

    public ConnState state(int sk) {
        return slots[sk].state;
    }

    public long term() {
        return propTerm;
    }

    public Lsn termStartLsn() {
        return termStartLsn;
    }

    public Lsn commitLsn() {
        return commitLsn;
    }

    public Lsn truncateLsn() {
        return truncateLsn;
    }

    public Lsn availableLsn() {
        return availableLsn;
    }

    public int generation() {
        return generation;
    }

    /** Why the proposer failed, or null. */
    public String failure() {
        return failure;
    }
}
