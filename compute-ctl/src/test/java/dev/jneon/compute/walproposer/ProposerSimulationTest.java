package dev.jneon.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded simulation: two competing proposers (restarted with a fresh term when they fail) against
 * three {@link AcceptorModel}s over links that break (dropping what is in flight) and reconnect.
 * Checks: a proposer's commit never decreases; a proposer never reports a commit beyond the
 * term start of a later elected term (the loser makes no progress after the winner's term);
 * committed WAL content never changes (LogSafety); a final sync-safekeepers run agrees on an end
 * of WAL at or past every commit, with identical committed bytes on every acceptor.
 */
class ProposerSimulationTest {

    private static final Lsn START = Lsn.parse("0/2000028");
    private static final TenantTimelineId TTID = TenantTimelineId.generate();
    private static final int SKS = 3;

    private final List<AcceptorModel> acceptors = new ArrayList<>();
    private final Map<AcceptorMessage, Snapshot> snapshots = new IdentityHashMap<>();
    private final TreeMap<Long, Lsn> electedTermStarts = new TreeMap<>();
    private final ByteArrayOutputStream committedLog = new ByteArrayOutputStream();
    private Random random;

    /** An acceptor's WAL {@code [START + offset, flush)} when it sent an append response. */
    private record Snapshot(int offset, byte[] bytes) {
    }
    private int commitsReported;

    /** One proposer instance and its links. */
    private final class Node {
        final boolean sync;
        Proposer proposer;
        final boolean[] up = new boolean[SKS];
        final List<ArrayDeque<ProposerMessage>> toAcceptor = new ArrayList<>();
        final List<ArrayDeque<AcceptorMessage>> toProposer = new ArrayList<>();
        Lsn bufferStart = Lsn.INVALID;
        byte[] buffer = new byte[0];
        Lsn lastCommit = Lsn.INVALID;
        Lsn synced;

        Node(boolean sync) {
            this.sync = sync;
            for (int i = 0; i < SKS; i++) {
                toAcceptor.add(new ArrayDeque<>());
                toProposer.add(new ArrayDeque<>());
            }
            restart();
        }

        /** A fresh Proposer instance, as after a walproposer restart (B.4) or a retried sync. */
        void restart() {
            PgVersionId pg = PgVersionId.of(PgMajorVersion.of(15));
            proposer = new Proposer(sync ? ProposerConfig.sync(TTID, SKS, pg, 16 << 20)
                    : new ProposerConfig(TTID, SKS, pg, 42, 16 << 20, false, Lsn.INVALID, 0, 4 * 128 * 1024));
            Arrays.fill(up, false);
            toAcceptor.forEach(ArrayDeque::clear);
            toProposer.forEach(q -> q.forEach(snapshots::remove));
            toProposer.forEach(ArrayDeque::clear);
            lastCommit = Lsn.INVALID;
        }

        boolean alive() {
            return proposer.phase() != Proposer.Phase.FAILED && proposer.phase() != Proposer.Phase.SYNCED;
        }

        void drop(int sk) {
            if (up[sk]) {
                up[sk] = false;
                toAcceptor.get(sk).clear();
                toProposer.get(sk).forEach(snapshots::remove);
                toProposer.get(sk).clear();
                apply(proposer.onDisconnected(sk));
            }
        }

        void connect(int sk) {
            if (!up[sk] && alive()) {
                up[sk] = true;
                apply(proposer.onConnected(sk));
            }
        }

        void deliverToAcceptor(int sk) {
            ProposerMessage m = toAcceptor.get(sk).poll();
            try {
                AcceptorMessage reply = acceptors.get(sk).handle(m);
                if (reply != null) {
                    if (reply instanceof AcceptorMessage.AppendResponse r && r.flush().isValid()) {
                        int offset = Math.max(0, Math.min(committedLog.size() - 65536, (int) r.flush().minus(START)));
                        snapshots.put(reply, new Snapshot(offset, acceptors.get(sk).bytes(START.plus(offset), r.flush())));
                    }
                    toProposer.get(sk).add(reply);
                }
            } catch (IllegalStateException e) {
                drop(sk);
            }
        }

        void deliverToProposer(int sk) {
            AcceptorMessage m = toProposer.get(sk).poll();
            List<ProposerAction> actions = proposer.onMessage(sk, m);
            for (ProposerAction a : actions) {
                if (a instanceof ProposerAction.CommitAdvanced c) {
                    checkCommit(this, c.commitLsn(), snapshots.get(m));
                }
            }
            snapshots.remove(m);
            apply(actions);
        }

        void generateWal() {
            int n = random.nextInt(10) == 0 ? 1 + random.nextInt(300_000) : 1 + random.nextInt(3000);
            byte[] more = new byte[n];
            random.nextBytes(more);
            byte[] grown = Arrays.copyOf(buffer, buffer.length + n);
            System.arraycopy(more, 0, grown, buffer.length, n);
            buffer = grown;
            apply(proposer.onWalAvailable(bufferStart.plus(buffer.length)));
        }

        void evictCommitted() {
            Lsn to = proposer.commitLsn();
            if (to.isAfter(bufferStart)) {
                buffer = Arrays.copyOfRange(buffer, (int) to.minus(bufferStart), buffer.length);
                bufferStart = to;
            }
        }

        void apply(List<ProposerAction> actions) {
            for (ProposerAction a : actions) {
                switch (a) {
                    case ProposerAction.Send s -> {
                        if (up[s.sk()]) {
                            toAcceptor.get(s.sk()).add(s.message());
                        }
                    }
                    case ProposerAction.SendWal w -> sendWal(w);
                    case ProposerAction.Disconnect d -> drop(d.sk());
                    case ProposerAction.Elected e -> {
                        assertThat(electedTermStarts.put(e.term(), e.termStartLsn())).as("one leader per term").isNull();
                        bufferStart = e.termStartLsn();
                        buffer = new byte[0];
                    }
                    case ProposerAction.CommitAdvanced c -> {
                        assertThat(c.commitLsn()).isGreaterThan(lastCommit);
                        lastCommit = c.commitLsn();
                    }
                    case ProposerAction.Synced s -> synced = s.endOfWal();
                    case ProposerAction.Failed f -> {
                        assertThat(f.reason()).contains("another proposer holds term");
                        for (int i = 0; i < SKS; i++) {
                            drop(i);
                        }
                    }
                }
            }
        }

        void sendWal(ProposerAction.SendWal w) {
            if (!up[w.sk()]) {
                return;
            }
            byte[] data;
            if (!w.begin().isBefore(bufferStart) && !w.end().isAfter(bufferStart.plus(buffer.length))) {
                data = Arrays.copyOfRange(buffer, (int) w.begin().minus(bufferStart), (int) w.end().minus(bufferStart));
            } else {
                var source = proposer.walSourceFor(w.end(), w.sk());
                data = source.isEmpty() ? null : acceptors.get(source.getAsInt()).read(w.term(), w.begin(), w.end());
                if (data == null) {
                    drop(w.sk());
                    return;
                }
            }
            toAcceptor.get(w.sk()).add(new ProposerMessage.Append(w.generation(), w.term(), w.begin(), w.end(),
                    w.commit(), w.truncate(), data));
        }

        /** One random event; returns false if nothing could happen. */
        boolean step(boolean faults) {
            return step(faults, faults);
        }

        boolean step(boolean faults, boolean generate) {
            int sk = random.nextInt(SKS);
            int kind = random.nextInt(100);
            if (!alive()) {
                if (faults && kind < 5 && !sync) {
                    restart();
                }
                return false;
            }
            if (kind < 35 && !toAcceptor.get(sk).isEmpty()) {
                deliverToAcceptor(sk);
            } else if (kind < 70 && !toProposer.get(sk).isEmpty()) {
                deliverToProposer(sk);
            } else if (kind < 80) {
                connect(sk);
            } else if (kind < 83 && faults) {
                drop(sk);
            } else if (kind < 90 && generate && !sync && proposer.phase() == Proposer.Phase.ELECTED) {
                generateWal();
            } else if (kind < 92) {
                evictCommitted();
            } else if (kind < 96) {
                apply(proposer.heartbeat(sk));
            } else {
                return false;
            }
            return true;
        }
    }

    private void checkCommit(Node node, Lsn commit, Snapshot responder) {
        commitsReported++;
        long term = node.proposer.term();
        for (Map.Entry<Long, Lsn> later : electedTermStarts.tailMap(term, false).entrySet()) {
            assertThat(commit).as("commit of term %d after term %d was elected", term, later.getKey())
                    .isLessThanOrEqualTo(later.getValue());
        }
        assertThat(responder).isNotNull();
        int n = (int) commit.minus(START);
        byte[] known = committedLog.toByteArray();
        int off = responder.offset();
        int common = Math.min(n, known.length);
        if (common > off) {
            assertThat(Arrays.equals(responder.bytes(), 0, common - off, known, off, common))
                    .as("committed WAL of term %d agrees with what was committed before", term).isTrue();
        }
        if (n > known.length) {
            assertThat(off).isLessThanOrEqualTo(known.length);
            committedLog.write(responder.bytes(), known.length - off, n - known.length);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void competingProposersKeepCommittedWal(long seed) {
        random = new Random(seed);
        for (int i = 0; i < SKS; i++) {
            acceptors.add(new AcceptorModel(i + 1, START));
        }
        Node a = new Node(false);
        Node b = new Node(false);
        for (int i = 0; i < 6000; i++) {
            (random.nextBoolean() ? a : b).step(true);
        }
        // Quiet phase: b gone, a (restarted if needed) must commit all it has.
        for (int sk = 0; sk < SKS; sk++) {
            b.drop(sk);
        }
        if (!a.alive()) {
            a.restart();
        }
        for (int i = 0; i < 200_000 && !(a.proposer.phase() == Proposer.Phase.ELECTED
                && a.proposer.commitLsn().equals(a.proposer.availableLsn())); i++) {
            if (!a.step(false) && !a.alive()) {
                a.restart();
            }
        }
        assertThat(a.proposer.phase()).isEqualTo(Proposer.Phase.ELECTED);
        assertThat(a.proposer.commitLsn()).isEqualTo(a.proposer.availableLsn());
        for (int sk = 0; sk < SKS; sk++) {
            a.drop(sk);
        }
        Node sync = new Node(true);
        for (int i = 0; i < 200_000 && sync.synced == null; i++) {
            if (!sync.step(false) && !sync.alive() && sync.synced == null) {
                sync.restart(); // compute_ctl retries sync-safekeepers, C
            }
        }
        assertThat(sync.synced).as("sync-safekeepers finished (%s, %s)", sync.proposer.phase(), sync.proposer.failure())
                .isNotNull();
        byte[] committed = committedLog.toByteArray();
        assertThat(sync.synced).isGreaterThanOrEqualTo(START.plus(committed.length));
        byte[] reference = acceptors.stream().filter(acc -> !acc.commit.isBefore(sync.synced)).findFirst()
                .orElseThrow().bytes(START, sync.synced);
        assertThat(Arrays.equals(reference, 0, committed.length, committed, 0, committed.length)).isTrue();
        int synced = 0;
        for (AcceptorModel acc : acceptors) {
            synced += !acc.flush.isBefore(sync.synced) && Arrays.equals(acc.bytes(START, sync.synced), reference) ? 1 : 0;
            int n = (int) Math.min(acc.commit.minus(START), committed.length);
            assertThat(Arrays.equals(acc.bytes(START, START.plus(n)), 0, n, committed, 0, n))
                    .as("acceptor %d's WAL below its commit LSN is the committed WAL", acc.nodeId).isTrue();
        }
        assertThat(synced).as("acceptors holding the synced WAL").isGreaterThanOrEqualTo(2);
        assertThat(commitsReported).isPositive();
    }
}
