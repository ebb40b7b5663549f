package dev.jneon.safekeeper.acceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AcceptorGreeting;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AppendResponse;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.VoteResponse;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.Greeting;
import dev.jneon.safekeeper.acceptor.ProposerMessage.ProposerElected;
import dev.jneon.safekeeper.acceptor.ProposerMessage.VoteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acceptor rules of spec B.3, one by one, over in-memory stores. */
class AcceptorTest {

    static final int SEG = 16 * 1024 * 1024;
    static final Lsn START = Lsn.of(0x1000028);
    final TenantTimelineId ttid = TenantTimelineId.generate();
    final InMemoryControlFileStore control = new InMemoryControlFileStore(
            AcceptorState.create(ttid, Configuration.LEGACY_EMPTY, new ServerInfo(150002, 0, SEG), START, START, 0));
    final InMemoryWalStore wal = new InMemoryWalStore(START);
    final Acceptor acceptor = new Acceptor(NodeId.of(7), control.persisted, control, wal);

    private Greeting greeting(int pgVersion, long systemId, int segSize) {
        return new Greeting(ttid, Configuration.LEGACY_EMPTY, pgVersion, systemId, segSize);
    }

    private Object reply(ProposerMessage m) throws Exception {
        return acceptor.process(m).orElse(null);
    }

    @Test
    void greetingChecksTimelineVersionAndSegmentSizeAndLearnsTheSystemId() throws Exception {
        assertThatThrownBy(() -> reply(greeting(160000, 1, SEG))).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> reply(greeting(150002, 1, SEG / 2))).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> reply(new Greeting(TenantTimelineId.generate(), Configuration.LEGACY_EMPTY, 150002, 1,
                SEG))).isInstanceOf(ProtocolViolation.class);
        var g = (AcceptorGreeting) reply(greeting(150013, 42, SEG));
        assertThat(g.nodeId()).isEqualTo(NodeId.of(7));
        assertThat(control.persisted.server().systemId()).isEqualTo(42);
        assertThat(reply(greeting(150013, 0, SEG))).isInstanceOf(AcceptorGreeting.class);
        assertThatThrownBy(() -> reply(greeting(150013, 43, SEG))).hasMessageContaining("system id");
    }

    @Test
    void greetingSwitchesToAHigherGenerationOnlyAsAMember() throws Exception {
        var other = new Configuration(3, List.of(new SafekeeperMember(NodeId.of(1), "a", 1)), null);
        assertThatThrownBy(() -> reply(new Greeting(ttid, other, 150002, 0, SEG))).hasMessageContaining("not a member");
        var mine = new Configuration(3, List.of(new SafekeeperMember(NodeId.of(7), "me", 1)), null);
        var g = (AcceptorGreeting) reply(new Greeting(ttid, mine, 150002, 0, SEG));
        assertThat(g.mconf().generation()).isEqualTo(3);
        assertThat(control.persisted.mconf()).isEqualTo(mine);
        assertThatThrownBy(() -> reply(new VoteRequest(0, Term.of(1)))).hasMessageContaining("generation");
    }

    @Test
    void votesOnlyForHigherTermsAndPersistsTheTermBeforeReplying() throws Exception {
        var v = (VoteResponse) reply(new VoteRequest(0, Term.of(5)));
        assertThat(v.voteGiven()).isTrue();
        assertThat(control.persisted.term()).isEqualTo(Term.of(5));
        assertThat(v.flushLsn()).isEqualTo(START);
        assertThat(v.termHistory()).isEqualTo(TermHistory.of(new TermSwitch(Term.INITIAL, START)));
        assertThat(((VoteResponse) reply(new VoteRequest(0, Term.of(5)))).voteGiven()).isFalse();
        assertThat(((VoteResponse) reply(new VoteRequest(0, Term.of(4)))).term()).isEqualTo(Term.of(5));
    }

    @Test
    void appendsNeedTheElectedMessageOfTheirTermAndStaleTermsGetATermOnlyRefusal() throws Exception {
        reply(new VoteRequest(0, Term.of(2)));
        var early = new AppendRequest(0, Term.of(2), START, START.plus(8), Lsn.INVALID, Lsn.INVALID, new byte[8]);
        assertThatThrownBy(() -> reply(early)).hasMessageContaining("elected");
        assertThatThrownBy(() -> reply(new AppendRequest(0, Term.of(3), START, START, Lsn.INVALID, Lsn.INVALID,
                new byte[0]))).hasMessageContaining("before its elected");
        var refusal = (AppendResponse) reply(new AppendRequest(0, Term.of(1), START, START, Lsn.INVALID, Lsn.INVALID,
                new byte[0]));
        assertThat(refusal).isEqualTo(AppendResponse.refusal(Term.of(2)));
        var history = TermHistory.of(new TermSwitch(Term.INITIAL, START), new TermSwitch(Term.of(2), START));
        assertThatThrownBy(() -> reply(new ProposerElected(0, Term.of(2), START.plus(8), history)))
                .hasMessageContaining("highest common point");
        assertThat(reply(new ProposerElected(0, Term.of(2), START, history))).isNull();
        assertThat(control.persisted.termHistory()).isEqualTo(history);
        assertThat(reply(new AppendRequest(0, Term.of(2), START, START.plus(8), START.plus(8), Lsn.INVALID,
                new byte[8]))).isNull();
        AppendResponse r = acceptor.flush();
        assertThat(r.flushLsn()).isEqualTo(START.plus(8));
        assertThat(acceptor.commitLsn()).isEqualTo(START.plus(8));
        assertThatThrownBy(() -> reply(new AppendRequest(0, Term.of(2), START.plus(16), START.plus(24), Lsn.INVALID,
                Lsn.INVALID, new byte[8]))).hasMessageContaining("no gaps");
    }

    @Test
    void commitIsPersistedAtOnceWhenItFirstReachesTheTermStart() throws Exception {
        reply(new VoteRequest(0, Term.of(1)));
        var h1 = TermHistory.of(new TermSwitch(Term.INITIAL, START), new TermSwitch(Term.of(1), START));
        reply(new ProposerElected(0, Term.of(1), START, h1));
        reply(new AppendRequest(0, Term.of(1), START, START.plus(64), Lsn.INVALID, Lsn.INVALID, new byte[64]));
        acceptor.flush();
        // a new leader whose term starts at START+64
        reply(new VoteRequest(0, Term.of(2)));
        Lsn termStart = START.plus(64);
        var h2 = h1.plus(new TermSwitch(Term.of(2), termStart));
        reply(new ProposerElected(0, Term.of(2), termStart, h2));
        assertThat(control.persisted.commitLsn()).isEqualTo(START);
        reply(new AppendRequest(0, Term.of(2), termStart, termStart, termStart, Lsn.INVALID, new byte[0]));
        assertThat(acceptor.flush().commitLsn()).isEqualTo(termStart);
        assertThat(control.persisted.commitLsn()).isEqualTo(termStart);
    }
}
