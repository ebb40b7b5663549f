package dev.jneon.safekeeper.acceptor;

/**
 * A Paxos term (ballot): an unsigned 64-bit number, compared unsigned. A safekeeper's term only
 * grows; {@link #INITIAL} (0) is the term of a new timeline, in which nobody was ever elected. Immutable.
 */
public record Term(long value) implements Comparable<Term> {

    public static final Term INITIAL = new Term(0);

    public static Term of(long value) {
        return new Term(value);
    }

    public boolean isAfter(Term other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Term other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Term o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(value);
    }
}
