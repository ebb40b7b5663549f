package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The term history of a log: entries oldest first, terms strictly rising, LSNs non-decreasing.
 * Term {@code T}'s WAL spans from its entry's lsn to the next entry's lsn (the last term: to the end
 * of the log). Immutable.
 */
public record TermHistory(List<TermSwitch> entries) {

    public static final TermHistory EMPTY = new TermHistory(List.of());

    public TermHistory {
        entries = List.copyOf(entries);
        for (int i = 1; i < entries.size(); i++) {
            TermSwitch prev = entries.get(i - 1);
            TermSwitch cur = entries.get(i);
            if (!cur.term().isAfter(prev.term()) || cur.lsn().isBefore(prev.lsn())) {
                throw new IllegalArgumentException("term history must have rising terms and non-decreasing LSNs, got "
                        + prev + " then " + cur);
            }
        }
    }

    public static TermHistory of(TermSwitch... entries) {
        return new TermHistory(List.of(entries));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    public TermSwitch get(int i) {
        return entries.get(i);
    }

    public Optional<TermSwitch> last() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getLast());
    }

    /** The entries whose lsn is at or below {@code flushLsn}: the part of history this log holds. */
    public TermHistory upTo(Lsn flushLsn) {
        List<TermSwitch> kept = entries.stream().filter(e -> !e.lsn().isAfter(flushLsn)).toList();
        return kept.size() == entries.size() ? this : new TermHistory(kept);
    }

    /** Term of the last entry at or below {@code flushLsn} ({@code epoch}); {@link Term#INITIAL} if none. */
    public Term lastLogTerm(Lsn flushLsn) {
        return upTo(flushLsn).last().map(TermSwitch::term).orElse(Term.INITIAL);
    }

    /** This history with {@code entry} appended. */
    public TermHistory plus(TermSwitch entry) {
        List<TermSwitch> list = new ArrayList<>(entries);
        list.add(entry);
        return new TermHistory(list);
    }

    /**
     * The highest point where the log described by this (the proposer's) history and an acceptor's
     * log agree: the last term both histories share and the LSN where it ends in the shorter of the
     * two (an acceptor's last term ends at its {@code acceptorFlush}, the proposer's never ends).
     * Empty when not even the first term is shared. Equal terms with different LSNs are a protocol
     * bug ({@link IllegalStateException}).
     */
    public Optional<TermSwitch> highestCommonPoint(TermHistory acceptor, Lsn acceptorFlush) {
        int common = -1;
        for (int i = 0; i < Math.min(size(), acceptor.size()); i++) {
            if (!get(i).term().equals(acceptor.get(i).term())) {
                break;
            }
            if (!get(i).lsn().equals(acceptor.get(i).lsn())) {
                throw new IllegalStateException("term " + get(i).term() + " starts at " + get(i).lsn()
                        + " in one history and at " + acceptor.get(i).lsn() + " in the other");
            }
            common = i;
        }
        if (common < 0) {
            return Optional.empty();
        }
        Lsn proposerEnd = common + 1 < size() ? get(common + 1).lsn() : Lsn.MAX;
        Lsn acceptorEnd = common + 1 < acceptor.size() ? acceptor.get(common + 1).lsn() : acceptorFlush;
        return Optional.of(new TermSwitch(get(common).term(), Lsn.min(proposerEnd, acceptorEnd)));
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
