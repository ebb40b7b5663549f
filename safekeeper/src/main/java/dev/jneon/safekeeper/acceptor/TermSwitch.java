package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;

/** One term history entry: {@code term}'s WAL begins at {@code lsn}. Immutable. */
public record TermSwitch(Term term, Lsn lsn) {

    public TermSwitch {
        if (term == null || lsn == null) {
            throw new IllegalArgumentException("term switch needs a term and an lsn");
        }
    }

    public static TermSwitch of(long term, long lsn) {
        return new TermSwitch(Term.of(term), Lsn.of(lsn));
    }

    @Override
    public String toString() {
        return "(" + term + ", " + lsn + ")";
    }
}
