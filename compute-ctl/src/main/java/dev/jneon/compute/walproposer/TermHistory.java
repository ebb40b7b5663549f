package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import java.util.ArrayList;
import java.util.List;

/**
 * A term history: {@link TermSwitch} entries oldest first, terms strictly rising, LSNs
 * non-decreasing (checked on construction). Immutable.
 */
public record TermHistory(List<TermSwitch> entries) {

    public static final TermHistory EMPTY = new TermHistory(List.of());

    public TermHistory {
        entries = List.copyOf(entries);
        for (int i = 1; i < entries.size(); i++) {
            TermSwitch prev = entries.get(i - 1);
            TermSwitch cur = entries.get(i);
            if (cur.term() <= prev.term() || cur.lsn().isBefore(prev.lsn())) {
                throw new IllegalArgumentException("term history out of order at entry " + i + ": " + entries);
            }
        }
    }

    /** Term of the last entry, 0 for an empty history (safekeeper-broker.md A, last_log_term). */
    public long lastTerm() {
        return entries.isEmpty() ? 0 : entries.getLast().term();
    }

    public int size() {
        return entries.size();
    }

    public TermSwitch get(int index) {
        return entries.get(index);
    }

    /** This history followed by {@code (term, lsn)}. */
    public TermHistory append(long term, Lsn lsn) {
        List<TermSwitch> list = new ArrayList<>(entries);
        list.add(new TermSwitch(term, lsn));
        return new TermHistory(list);
    }

    /**
     * Where an acceptor whose effective history is {@code acceptor} and whose flush LSN is
     * {@code acceptorFlush} must start receiving this (the proposer's) history: the end of the
     * longest common prefix (safekeeper-broker.md B.5 step 8). {@code proposerTerm} is the term of
     * this history's last entry. Throws {@link IllegalStateException} if an equal term has
     * different start LSNs in both histories (a protocol bug).
     */
    public Lsn startPointFor(TermHistory acceptor, Lsn acceptorFlush, long proposerTerm) {
        int common = -1;
        for (int i = 0; i < Math.min(size(), acceptor.size()); i++) {
            TermSwitch mine = get(i);
            TermSwitch theirs = acceptor.get(i);
            if (mine.term() != theirs.term()) {
                break;
            }
            if (!mine.lsn().equals(theirs.lsn())) {
                throw new IllegalStateException("term " + mine.term() + " starts at " + mine.lsn()
                        + " in the proposer's history but at " + theirs.lsn() + " in the acceptor's");
            }
            common = i;
        }
        if (common < 0) {
            return get(0).lsn();
        }
        if (get(common).term() == proposerTerm) {
            return acceptorFlush;
        }
        Lsn theirEnd = common + 1 < acceptor.size() ? acceptor.get(common + 1).lsn() : acceptorFlush;
        return Lsn.min(get(common + 1).lsn(), theirEnd);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (TermSwitch e : entries) {
            sb.append(sb.length() > 1 ? ", " : "").append('(').append(e.term()).append(", ").append(e.lsn()).append(')');
        }
        return sb.append(']').toString();
    }
}
