package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;

/**
 * One entry of a term history: the WAL of {@code term} begins at {@code lsn} and runs to the next
 * entry's lsn (safekeeper-broker.md A). Terms are non-negative; 0 is the initial term of a new
 * timeline. Immutable.
 */
public record TermSwitch(long term, Lsn lsn) {

    public TermSwitch {
        if (term < 0) {
            throw new IllegalArgumentException("term " + Long.toUnsignedString(term) + " is beyond the supported range");
        }
        if (lsn == null) {
            throw new IllegalArgumentException("term switch lsn must not be null");
        }
    }
}
