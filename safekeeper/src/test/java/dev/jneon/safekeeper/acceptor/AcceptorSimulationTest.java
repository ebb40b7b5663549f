package dev.jneon.safekeeper.acceptor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AcceptorGreeting;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AppendResponse;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.VoteResponse;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.Greeting;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded simulation of three acceptors and two competing proposers over FIFO connections that
 * drop at random, with acceptors crashing and restarting (losing unflushed WAL, keeping a random
 * part of it). Checks after every step: one leader per term; acknowledged (committed) WAL never
 * changes and every new leader's log holds all of it; an acceptor's WAL up to its commit LSN is
 * committed WAL; commit ≤ flush; terms never go back; a restarted acceptor keeps every flush LSN it
 * reported (spec A, B.7, J.6).
 */
class AcceptorSimulationTest {

    static final int N = 3;
    static final Lsn START = Lsn.of(0x1000028);

    final TenantTimelineId ttid = TenantTimelineId.generate();
    Random random;
    final Acceptor[] acceptors = new Acceptor[N];
    final InMemoryWalStore[] wal = new InMemoryWalStore[N];
    final InMemoryControlFileStore[] control = new InMemoryControlFileStore[N];
    final Term[] lastTerm = new Term[N];
    final Lsn[] reportedFlush = new Lsn[N];
    final SimulatedProposer[] proposers = {new SimulatedProposer(1, N), new SimulatedProposer(2, N)};
    final Conn[][] conns = new Conn[2][N];
    final Map<Term, Integer> leaders = new HashMap<>();
    byte[] acked = new byte[0];
    int elections;

    static final class Conn {
        final Deque<ProposerMessage> toAcceptor = new ArrayDeque<>();
        final Deque<AcceptorMessage> toProposer = new ArrayDeque<>();
        VoteResponse vote;
        boolean active;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 4711})
    void protocolInvariantsHoldUnderLossReorderAndCrashes(long seed) throws Exception {
        random = new Random(seed);
        for (int a = 0; a < N; a++) {
            AcceptorState s = AcceptorState.create(ttid, Configuration.LEGACY_EMPTY,
                    new ServerInfo(150000, 1, 16 * 1024 * 1024), START, START, 0);
            control[a] = new InMemoryControlFileStore(s);
            wal[a] = new InMemoryWalStore(START);
            acceptors[a] = new Acceptor(NodeId.of(a + 1), s, control[a], wal[a]);
            lastTerm[a] = Term.INITIAL;
            reportedFlush[a] = START;
        }
        for (SimulatedProposer p : proposers) {
            p.restart(Term.INITIAL);
        }
        for (int step = 0; step < 20_000; step++) {
            step();
            checkAcceptors();
        }
        assertThat(acked.length).as("seed %d committed WAL", seed).isGreaterThan(10_000);
        assertThat(elections).as("seed %d elections", seed).isGreaterThan(3);
    }

    private void step() throws Exception {
        int r = random.nextInt(100);
        int p = random.nextInt(2);
        int a = random.nextInt(N);
        if (r < 45) {
            deliverToAcceptor(p, a);
        } else if (r < 75) {
            deliverToProposer(p, a);
        } else if (r < 85) {
            if (proposers[p].elected) {
                for (int i = random.nextInt(6); i > 0; i--) {
                    proposers[p].generate(random);
                }
                stream(p);
            }
        } else if (r < 92) {
            if (conns[p][a] == null) {
                connect(p, a);
            }
        } else if (r < 96) {
            drop(p, a);
        } else if (r < 98) {
            crash(a);
        } else if (r < 99 && random.nextInt(4) == 0) {
            restart(p, maxTerm());
        }
    }

    private void connect(int p, int a) {
        Conn c = new Conn();
        c.toAcceptor.add(new Greeting(ttid, Configuration.LEGACY_EMPTY, 150002, 1, 16 * 1024 * 1024));
        c.toAcceptor.add(proposers[p].voteRequest());
        conns[p][a] = c;
    }

    private void drop(int p, int a) {
        if (conns[p][a] != null) {
            conns[p][a] = null;
            acceptors[a].flush(); // flush on disconnect
            noteFlush(a);
        }
    }

    private void deliverToAcceptor(int p, int a) throws Exception {
        Conn c = conns[p][a];
        if (c == null || c.toAcceptor.isEmpty()) {
            return;
        }
        ProposerMessage m = c.toAcceptor.poll();
        try {
            var reply = acceptors[a].process(m);
            reply.ifPresent(c.toProposer::add);
            if (m instanceof AppendRequest && reply.isEmpty() && (c.toAcceptor.isEmpty() || random.nextInt(3) == 0)) {
                c.toProposer.add(acceptors[a].flush());
                noteFlush(a);
            }
        } catch (ProtocolViolation e) {
            drop(p, a);
        }
    }

    private void deliverToProposer(int p, int a) {
        Conn c = conns[p][a];
        if (c == null || c.toProposer.isEmpty()) {
            return;
        }
        SimulatedProposer prop = proposers[p];
        switch (c.toProposer.poll()) {
            case AcceptorGreeting g -> {
                if (!prop.elected && !g.term().isBefore(prop.term)) {
                    restart(p, g.term());
                }
            }
            case VoteResponse v -> onVote(p, a, c, v);
            case AppendResponse r -> {
                if (r.term().isAfter(prop.term)) {
                    restart(p, r.term());
                } else if (r.term().equals(prop.term) && prop.elected && prop.onAppendResponse(a, r)) {
                    ack(prop.bytes(prop.logBase(), prop.commit.value()));
                }
            }
        }
    }

    private void onVote(int p, int a, Conn c, VoteResponse v) {
        SimulatedProposer prop = proposers[p];
        if (v.term().isAfter(prop.term) || (!v.voteGiven() && !prop.elected)) {
            restart(p, v.term());
            return;
        }
        c.vote = v;
        if (prop.elected) {
            c.toAcceptor.add(prop.electedFor(a, v));
            c.active = true;
            return;
        }
        if (prop.onVote(a, v, wal)) {
            elections++;
            Integer previous = leaders.putIfAbsent(prop.term, p);
            assertThat(previous).as("one leader in term %s", prop.term).isNull();
            assertThat(prop.termStart.value() - START.value()).as("new leader holds all committed WAL")
                    .isGreaterThanOrEqualTo(acked.length);
            assertThat(Arrays.equals(prop.bytes(START.value(), START.value() + acked.length), acked))
                    .as("new leader's log starts with the committed WAL").isTrue();
            for (int i = 0; i < N; i++) {
                Conn other = conns[p][i];
                if (other != null && other.vote != null) {
                    other.toAcceptor.add(prop.electedFor(i, other.vote));
                    other.active = true;
                }
            }
            stream(p);
        }
    }

    private void stream(int p) {
        for (int a = 0; a < N; a++) {
            Conn c = conns[p][a];
            if (c != null && c.active) {
                for (int i = 0; i < 3; i++) {
                    c.toAcceptor.add(proposers[p].nextAppend(a));
                }
            }
        }
    }

    private void restart(int p, Term seen) {
        proposers[p].restart(Term.of(Math.max(seen.value(), maxTerm().value())));
        for (int a = 0; a < N; a++) {
            drop(p, a);
        }
    }

    private void crash(int a) {
        for (int p = 0; p < 2; p++) {
            conns[p][a] = null;
        }
        wal[a] = wal[a].afterCrash(random);
        acceptors[a] = new Acceptor(NodeId.of(a + 1), control[a].persisted, control[a], wal[a]);
        assertThat(acceptors[a].flushLsn()).as("restarted acceptor keeps its reported flush")
                .isGreaterThanOrEqualTo(reportedFlush[a]);
    }

    private void noteFlush(int a) {
        reportedFlush[a] = acceptors[a].flushLsn();
    }

    private void ack(byte[] log) {
        int common = Math.min(log.length, acked.length);
        assertThat(Arrays.equals(log, 0, common, acked, 0, common)).as("committed WAL never changes").isTrue();
        if (log.length > acked.length) {
            acked = log;
        }
    }

    private Term maxTerm() {
        Term max = Term.INITIAL;
        for (Acceptor acc : acceptors) {
            max = acc.term().isAfter(max) ? acc.term() : max;
        }
        return max;
    }

    private void checkAcceptors() {
        for (int a = 0; a < N; a++) {
            Acceptor acc = acceptors[a];
            assertThat(acc.commitLsn()).as("commit <= flush").isLessThanOrEqualTo(acc.flushLsn());
            assertThat(acc.term()).as("terms only grow").isGreaterThanOrEqualTo(lastTerm[a]);
            lastTerm[a] = acc.term();
            long committed = acc.commitLsn().value() - START.value();
            assertThat(committed).isLessThanOrEqualTo(acked.length);
            assertThat(Arrays.equals(wal[a].bytes(START.value(), acc.commitLsn().value()), Arrays.copyOf(acked,
                    (int) committed))).as("acceptor WAL up to its commit is committed WAL").isTrue();
            if (reportedFlush[a].isAfter(acc.flushLsn())) {
                reportedFlush[a] = acc.flushLsn(); // cut by a truncation: the new leader's start point
            }
        }
    }
}
