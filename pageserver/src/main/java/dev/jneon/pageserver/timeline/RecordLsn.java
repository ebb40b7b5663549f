package dev.jneon.pageserver.timeline;

import dev.jneon.common.id.Lsn;

/**
 * The end of the newest ingested record ({@code last}) and of the one before it ({@code prev},
 * {@link Lsn#INVALID} when unknown). Immutable.
 */
public record RecordLsn(Lsn last, Lsn prev) {

    public RecordLsn {
        if (last == null || prev == null) {
            throw new IllegalArgumentException("record LSNs must not be null (use Lsn.INVALID)");
        }
    }

    /** After ingesting a record ending at {@code end}. */
    public RecordLsn advance(Lsn end) {
        if (end.compareTo(last) <= 0) {
            throw new IllegalArgumentException("record end " + end + " does not advance past " + last);
        }
        return new RecordLsn(end, last);
    }
}
