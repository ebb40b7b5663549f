package dev.jneon.safekeeper.backup;

import dev.jneon.common.id.Lsn;
import dev.jneon.safekeeper.RealWal;
import dev.jneon.safekeeper.acceptor.Configuration;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.Greeting;
import dev.jneon.safekeeper.acceptor.ProposerMessage.ProposerElected;
import dev.jneon.safekeeper.acceptor.ProposerMessage.VoteRequest;
import dev.jneon.safekeeper.acceptor.Term;
import dev.jneon.safekeeper.acceptor.TermHistory;
import dev.jneon.safekeeper.acceptor.TermSwitch;
import dev.jneon.safekeeper.timeline.Timeline;
import java.util.Arrays;

/**
 * Drives a {@link Timeline} in this JVM the way a walproposer would, without gRPC: wins term 1 and
 * appends real WAL, committing what it appended. Not thread-safe; one test thread.
 */
public final class InProcessProposer {

    private static final Term TERM = Term.of(1);

    private InProcessProposer() {
    }

    /** On a fresh timeline starting at {@code start}: elects term 1 there. */
    public static void elect(Timeline t, RealWal real, Lsn start) throws Exception {
        t.process(new Greeting(t.ttid(), Configuration.LEGACY_EMPTY, 150002, real.systemId(), RealWal.SEGMENT_SIZE));
        t.process(new VoteRequest(0, TERM));
        t.process(new ProposerElected(0, TERM, start,
                TermHistory.of(new TermSwitch(Term.INITIAL, start), new TermSwitch(TERM, start))));
    }

    /** Appends {@code [from, to)} of the real WAL, flushes and commits {@code to}. */
    public static void append(Timeline t, RealWal real, Lsn from, Lsn to) throws Exception {
        byte[] all = real.bytes(from, to);
        for (int off = 0; off < all.length; off += 128 * 1024) {
            byte[] piece = Arrays.copyOfRange(all, off, Math.min(all.length, off + 128 * 1024));
            t.process(new AppendRequest(0, TERM, from.plus(off), from.plus(off + piece.length), Lsn.INVALID,
                    Lsn.INVALID, piece));
        }
        t.flush();
        t.process(new AppendRequest(0, TERM, to, to, to, Lsn.INVALID, new byte[0]));
        t.flush();
    }
}
