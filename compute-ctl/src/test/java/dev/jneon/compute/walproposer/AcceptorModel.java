package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small in-memory safekeeper following safekeeper-broker.md B.3 (legacy membership, every write
 * flushed at once), for simulations and loopback tests. Not thread-safe: callers serialize.
 */
final class AcceptorModel {

    final long nodeId;
    final Lsn timelineStart;
    long term;
    TermHistory history;
    Lsn flush;
    Lsn commit;
    Lsn peerHorizon;
    private byte[] wal = new byte[0];
    private int length;

    AcceptorModel(long nodeId, Lsn timelineStart) {
        this.nodeId = nodeId;
        this.timelineStart = timelineStart;
        this.history = new TermHistory(List.of(new TermSwitch(0, timelineStart)));
        this.flush = timelineStart;
        this.commit = timelineStart;
        this.peerHorizon = timelineStart;
    }

    /** Handles one message; null = no reply; throws IllegalStateException where the stream must end. */
    AcceptorMessage handle(ProposerMessage message) {
        return switch (message) {
            case ProposerMessage.Greeting g -> new AcceptorMessage.Greeting(nodeId, 0, false, term);
            case ProposerMessage.VoteRequest v -> {
                boolean given = term < v.term();
                term = Math.max(term, v.term());
                yield new AcceptorMessage.VoteResponse(0, term, given, flush, peerHorizon, effectiveHistory());
            }
            case ProposerMessage.Elected e -> elected(e);
            case ProposerMessage.Append a -> append(a);
        };
    }

    private AcceptorMessage elected(ProposerMessage.Elected e) {
        if (term > e.term()) {
            return null;
        }
        term = e.term();
        Lsn lcp = e.history().startPointFor(effectiveHistory(), flush, e.term());
        if (!lcp.equals(e.startStreamingAt())) {
            throw new IllegalStateException("elected start " + e.startStreamingAt() + " != common point " + lcp);
        }
        if (e.startStreamingAt().isBefore(commit)) {
            throw new AssertionError("acceptor " + nodeId + " asked to truncate at " + e.startStreamingAt()
                    + " below its commit " + commit);
        }
        if (e.startStreamingAt().isAfter(flush)) {
            throw new AssertionError("start " + e.startStreamingAt() + " beyond flush " + flush);
        }
        length = (int) e.startStreamingAt().minus(timelineStart);
        flush = e.startStreamingAt();
        history = e.history();
        return null;
    }

    private AcceptorMessage append(ProposerMessage.Append a) {
        if (term > a.term()) {
            return new AcceptorMessage.AppendResponse(0, term, Lsn.INVALID, Lsn.INVALID);
        }
        if (term < a.term() || history.lastTerm() != a.term()) {
            throw new IllegalStateException("append of term " + a.term() + " before its election");
        }
        if (!a.begin().equals(flush)) {
            throw new IllegalStateException("append at " + a.begin() + " but WAL ends at " + flush);
        }
        if (length + a.data().length > wal.length) {
            wal = Arrays.copyOf(wal, Math.max(2 * wal.length, length + a.data().length));
        }
        System.arraycopy(a.data(), 0, wal, length, a.data().length);
        length += a.data().length;
        flush = a.end();
        if (a.commit().isValid()) {
            commit = Lsn.min(Lsn.max(a.commit(), commit), flush);
        }
        peerHorizon = Lsn.max(peerHorizon, a.truncate());
        return new AcceptorMessage.AppendResponse(0, term, flush, commit);
    }

    /** WAL [begin, end) as StreamWal with {@code readerTerm} serves it, or null if it would refuse. */
    byte[] read(long readerTerm, Lsn begin, Lsn end) {
        if (term != readerTerm || end.isAfter(flush) || begin.isBefore(timelineStart)) {
            return null;
        }
        return bytes(begin, end);
    }

    byte[] bytes(Lsn begin, Lsn end) {
        if (end.isAfter(flush)) {
            throw new IllegalArgumentException("WAL up to " + end + " asked of acceptor " + nodeId + " flushed to " + flush);
        }
        return Arrays.copyOfRange(wal, (int) begin.minus(timelineStart), (int) end.minus(timelineStart));
    }

    TermHistory effectiveHistory() {
        List<TermSwitch> list = new ArrayList<>();
        for (TermSwitch s : history.entries()) {
            if (!s.lsn().isAfter(flush)) {
                list.add(s);
            }
        }
        return new TermHistory(list);
    }
}
