package dev.jneon.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Single scenarios of the {@link Proposer} core, message by message. */
class ProposerTest {

    private static final Lsn S = Lsn.parse("0/1000028");
    private static final PgVersionId PG15 = PgVersionId.of(PgMajorVersion.PG15);

    private static TermHistory history(long... termLsnPairs) {
        var list = new java.util.ArrayList<TermSwitch>();
        for (int i = 0; i < termLsnPairs.length; i += 2) {
            list.add(new TermSwitch(termLsnPairs[i], Lsn.of(termLsnPairs[i + 1])));
        }
        return new TermHistory(list);
    }

    private static Proposer electedWithVotes(AcceptorMessage.VoteResponse... votes) {
        var p = new Proposer(new ProposerConfig(TenantTimelineId.generate(), votes.length, PG15, 1, 16 << 20, false,
                Lsn.INVALID, 0, ProposerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES));
        for (int i = 0; i < votes.length; i++) {
            p.onConnected(i);
            p.onMessage(i, new AcceptorMessage.Greeting(i + 1, 0, false, 4));
        }
        for (int i = 0; i < votes.length; i++) {
            p.onMessage(i, votes[i]);
        }
        return p;
    }

    private static AcceptorMessage.VoteResponse vote(long flush, TermHistory h) {
        return new AcceptorMessage.VoteResponse(0, 5, true, Lsn.of(flush), S, h);
    }

    @Test
    void startPointsCutExactlyTheSuffixOfLosingTerms() {
        // prop history: (0,S) (2,0x1000100) (5, donor flush 0x1000300)
        TermHistory prop = history(0, S.value(), 2, 0x1000100, 5, 0x1000300);
        // acceptor wrote term 3 from 0x1000200 on top of term 2: diverges at 0x1000200
        assertThat(prop.startPointFor(history(0, S.value(), 2, 0x1000100, 3, 0x1000200), Lsn.of(0x1000250), 5))
                .isEqualTo(Lsn.of(0x1000200));
        // acceptor lagging inside term 2: continue from its flush
        assertThat(prop.startPointFor(history(0, S.value(), 2, 0x1000100), Lsn.of(0x1000150), 5))
                .isEqualTo(Lsn.of(0x1000150));
        // acceptor lacking any common term: from the history's start
        assertThat(prop.startPointFor(history(1, 0x1000050), Lsn.of(0x1000060), 5)).isEqualTo(S);
    }

    @Test
    void electsTheMostAdvancedLogAndCommitsOnlyInItsOwnTerm() {
        Proposer p = electedWithVotes(
                vote(0x1000200, history(0, S.value(), 2, 0x1000100)),
                vote(0x1000300, history(0, S.value(), 1, 0x1000080)),
                vote(0x1000150, history(0, S.value(), 2, 0x1000100)));
        assertThat(p.phase()).isEqualTo(Proposer.Phase.ELECTED);
        assertThat(p.term()).isEqualTo(5);
        assertThat(p.termStartLsn()).as("donor = max (last term, flush)").isEqualTo(Lsn.of(0x1000200));
        // an old-term flush below the term start commits nothing
        assertThat(p.onMessage(2, new AcceptorMessage.AppendResponse(0, 5, Lsn.of(0x1000150), S)))
                .noneMatch(a -> a instanceof ProposerAction.CommitAdvanced);
        List<ProposerAction> out = p.onMessage(0, new AcceptorMessage.AppendResponse(0, 5, Lsn.of(0x1000200), S));
        assertThat(out).noneMatch(a -> a instanceof ProposerAction.CommitAdvanced);
        out = p.onMessage(1, new AcceptorMessage.AppendResponse(0, 5, Lsn.of(0x1000200), S));
        assertThat(out).contains(new ProposerAction.CommitAdvanced(Lsn.of(0x1000200)));
    }

    @Test
    void aResponseWithoutFlushProgressStillOpensTheWindow() {
        var p = new Proposer(new ProposerConfig(TenantTimelineId.generate(), 1, PG15, 1, 16 << 20, false,
                Lsn.INVALID, 0, 2 * ProposerMessage.Append.MAX_SEND_SIZE));
        p.onConnected(0);
        p.onMessage(0, new AcceptorMessage.Greeting(1, 0, false, 4));
        p.onMessage(0, vote(S.value(), history(0, S.value())));
        assertThat(p.phase()).isEqualTo(Proposer.Phase.ELECTED);
        assertThat(p.onWalAvailable(S.plus(1 << 20))).filteredOn(a -> a instanceof ProposerAction.SendWal).hasSize(2);
        // the safekeeper is inside one large record: its flush stays at the record start
        assertThat(p.onMessage(0, new AcceptorMessage.AppendResponse(0, 5, S, S)))
                .filteredOn(a -> a instanceof ProposerAction.SendWal w && w.begin().isBefore(w.end())).hasSize(2);
    }

    @Test
    void aHigherTermStopsTheProposerForGood() {
        Proposer p = electedWithVotes(vote(S.value(), history(0, S.value())), vote(S.value(), history(0, S.value())),
                vote(S.value(), history(0, S.value())));
        List<ProposerAction> out = p.onMessage(0, new AcceptorMessage.AppendResponse(0, 9, Lsn.INVALID, Lsn.INVALID));
        assertThat(out).singleElement().isEqualTo(new ProposerAction.Failed(
                "safekeeper 1 has term 9 > our term 5: another proposer holds term 9"));
        assertThat(p.onMessage(1, new AcceptorMessage.AppendResponse(0, 5, S, S))).isEmpty();
        assertThat(p.onWalAvailable(S.plus(100))).isEmpty();
        assertThat(p.heartbeat(1)).isEmpty();
    }
}
