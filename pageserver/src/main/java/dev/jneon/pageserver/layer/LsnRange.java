package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Lsn;

/** A half-open LSN range {@code [start, end)}, compared unsigned; {@code start < end}. Immutable. */
public record LsnRange(Lsn start, Lsn end) {

    public LsnRange {
        if (start == null || end == null) {
            throw new IllegalArgumentException("LSN range bounds must not be null");
        }
        if (start.compareTo(end) >= 0) {
            throw new IllegalArgumentException("LSN range start " + start + " is not below its end " + end);
        }
    }

    /** The range holding only {@code lsn}, as an image layer covers. */
    public static LsnRange single(Lsn lsn) {
        return new LsnRange(lsn, lsn.plus(1));
    }

    public boolean contains(Lsn lsn) {
        return start.compareTo(lsn) <= 0 && lsn.compareTo(end) < 0;
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
