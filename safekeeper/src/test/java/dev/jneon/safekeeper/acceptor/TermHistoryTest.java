package dev.jneon.safekeeper.acceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermHistoryTest {

    private static TermSwitch ts(long term, long lsn) {
        return TermSwitch.of(term, lsn);
    }

    @Test
    void rejectsNonRisingTermsAndFallingLsns() {
        assertThatThrownBy(() -> TermHistory.of(ts(1, 10), ts(1, 20))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TermHistory.of(ts(1, 20), ts(2, 10))).isInstanceOf(IllegalArgumentException.class);
        assertThat(TermHistory.of(ts(1, 10), ts(2, 10)).size()).isEqualTo(2);
    }

    @Test
    void effectiveHistoryAndLastLogTermStopAtFlush() {
        TermHistory h = TermHistory.of(ts(0, 100), ts(3, 200), ts(5, 300));
        assertThat(h.upTo(Lsn.of(250)).entries()).containsExactly(ts(0, 100), ts(3, 200));
        assertThat(h.lastLogTerm(Lsn.of(300))).isEqualTo(Term.of(5));
        assertThat(h.lastLogTerm(Lsn.of(50))).isEqualTo(Term.INITIAL);
    }

    @Test
    void commonPointEndsWhereTheShorterLogLeavesTheSharedTerm() {
        TermHistory proposer = TermHistory.of(ts(0, 100), ts(3, 200), ts(7, 500));
        // acceptor followed term 3 further than the proposer's donor: cut back to 500
        assertThat(proposer.highestCommonPoint(TermHistory.of(ts(0, 100), ts(3, 200)), Lsn.of(650)))
                .contains(ts(3, 500));
        // acceptor lags inside term 3: resume at its flush
        assertThat(proposer.highestCommonPoint(TermHistory.of(ts(0, 100), ts(3, 200)), Lsn.of(320)))
                .contains(ts(3, 320));
        // acceptor wrote a term the winner never saw: cut back to where term 3 ended for it
        assertThat(proposer.highestCommonPoint(TermHistory.of(ts(0, 100), ts(3, 200), ts(4, 400)), Lsn.of(450)))
                .contains(ts(3, 400));
        // already in the proposer's own term: continue at its flush
        assertThat(proposer.highestCommonPoint(proposer, Lsn.of(800))).contains(ts(7, 800));
        assertThat(proposer.highestCommonPoint(TermHistory.of(ts(2, 100)), Lsn.of(150))).isEmpty();
    }

    @Test
    void equalTermsWithDifferentStartsAreABug() {
        TermHistory a = TermHistory.of(ts(1, 100));
        assertThatThrownBy(() -> a.highestCommonPoint(TermHistory.of(ts(1, 120)), Lsn.of(150)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void configurationMembershipIncludesNewMembersWhenJoint() {
        var m1 = new SafekeeperMember(dev.jneon.common.id.NodeId.of(1), "a", 1);
        var m2 = new SafekeeperMember(dev.jneon.common.id.NodeId.of(2), "b", 2);
        var joint = new Configuration(3, List.of(m1), List.of(m2));
        assertThat(joint.isMember(m2.id())).isTrue();
        assertThat(new Configuration(3, List.of(m1), null).isMember(m2.id())).isFalse();
        assertThatThrownBy(() -> new Configuration(-1, List.of(), null)).isInstanceOf(IllegalArgumentException.class);
    }
}
