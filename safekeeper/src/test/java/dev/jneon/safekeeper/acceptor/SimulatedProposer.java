package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AppendResponse;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.VoteResponse;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.ProposerElected;
import dev.jneon.safekeeper.acceptor.ProposerMessage.VoteRequest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny walproposer for the simulation (test only): campaigns with B.5's rules (majority of votes,
 * donor = max (last_log_term, flush_lsn), start point per acceptor from the highest common point),
 * streams whole records, and computes the commit LSN from a quorum of flush LSNs at or above its
 * term start. Not thread-safe; driven by {@link AcceptorSimulationTest}.
 */
final class SimulatedProposer {

    final int id;
    final int acceptors;
    Term term = Term.INITIAL;
    boolean elected;
    TermHistory history;
    Lsn termStart;
    Lsn commit = Lsn.INVALID;
    final Map<Integer, VoteResponse> votes = new HashMap<>();
    final Map<Integer, Lsn> flushes = new HashMap<>();
    final Map<Integer, Lsn> streamingAt = new HashMap<>();
    private long logBase;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<Long> recordEnds = new ArrayList<>();
    private int records;

    SimulatedProposer(int id, int acceptors) {
        this.id = id;
        this.acceptors = acceptors;
    }

    /** Forgets everything and campaigns for a term above {@code seen}. */
    void restart(Term seen) {
        term = Term.of(Math.max(term.value(), seen.value()) + 1);
        elected = false;
        votes.clear();
        flushes.clear();
        streamingAt.clear();
        commit = Lsn.INVALID;
    }

    VoteRequest voteRequest() {
        return new VoteRequest(0, term);
    }

    /** Records a vote; returns true once a majority voted and the proposer becomes leader. */
    boolean onVote(int acceptor, VoteResponse v, InMemoryWalStore[] wal) {
        if (elected || !v.voteGiven()) {
            return false;
        }
        votes.put(acceptor, v);
        if (votes.size() < acceptors / 2 + 1) {
            return false;
        }
        int donor = -1;
        for (var e : votes.entrySet()) {
            VoteResponse c = e.getValue();
            if (donor < 0 || better(c, votes.get(donor))) {
                donor = e.getKey();
            }
        }
        VoteResponse d = votes.get(donor);
        termStart = d.flushLsn();
        history = d.termHistory().plus(new TermSwitch(term, termStart));
        logBase = history.get(0).lsn().value();
        log.reset();
        log.writeBytes(wal[donor].bytes(logBase, termStart.value()));
        recordEnds.clear();
        recordEnds.addAll(wal[donor].recordEnds(logBase, termStart.value()));
        elected = true;
        return true;
    }

    private static boolean better(VoteResponse a, VoteResponse b) {
        int c = a.termHistory().lastLogTerm(a.flushLsn()).compareTo(b.termHistory().lastLogTerm(b.flushLsn()));
        return c != 0 ? c > 0 : a.flushLsn().isAfter(b.flushLsn());
    }

    /** The elected message for an acceptor whose vote response is {@code v} (B.5 step 8). */
    ProposerElected electedFor(int acceptor, VoteResponse v) {
        Lsn start = history.highestCommonPoint(v.termHistory(), v.flushLsn()).map(TermSwitch::lsn)
                .orElse(history.get(0).lsn());
        streamingAt.put(acceptor, start);
        return new ProposerElected(0, term, start, history);
    }

    /** Appends one record of random bytes (its content names proposer and term). */
    void generate(Random random) {
        byte[] rec = new byte[8 + random.nextInt(300)];
        random.nextBytes(rec);
        rec[0] = (byte) id;
        rec[1] = (byte) term.value();
        rec[2] = (byte) records++;
        log.writeBytes(rec);
        recordEnds.add(available().value());
    }

    Lsn available() {
        return Lsn.of(logBase + log.size());
    }

    /** The next append for {@code acceptor}: whole records from where it stands, at most 4 KiB. */
    AppendRequest nextAppend(int acceptor) {
        Lsn from = streamingAt.get(acceptor);
        long to = from.value();
        for (long end : recordEnds) {
            if (end > from.value() && end - from.value() <= 4096) {
                to = end;
            }
        }
        byte[] data = bytes(from.value(), to);
        streamingAt.put(acceptor, Lsn.of(to));
        return new AppendRequest(0, term, from, Lsn.of(to), commit, Lsn.INVALID, data);
    }

    /** Takes a flush report; returns the new commit LSN if it moved (acknowledged to clients). */
    boolean onAppendResponse(int acceptor, AppendResponse r) {
        flushes.put(acceptor, r.flushLsn());
        List<Lsn> sorted = new ArrayList<>();
        for (int i = 0; i < acceptors; i++) {
            Lsn f = flushes.getOrDefault(i, Lsn.INVALID);
            sorted.add(f.isBefore(termStart) ? Lsn.INVALID : f);
        }
        sorted.sort(null);
        Lsn quorum = sorted.get(acceptors - (acceptors / 2 + 1));
        if (quorum.isAfter(commit)) {
            commit = quorum;
            return true;
        }
        return false;
    }

    byte[] bytes(long from, long to) {
        return Arrays.copyOfRange(log.toByteArray(), (int) (from - logBase), (int) (to - logBase));
    }

    long logBase() {
        return logBase;
    }
}
