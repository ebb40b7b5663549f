package dev.jneon.common.wal.record;

import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;

/**
 * A relation as WAL names it without a fork (PostgreSQL's RelFileNode, 12 bytes: u32 spcNode,
 * dbNode, relNode), e.g. a relation a transaction dropped. OIDs are unsigned in ints. Immutable.
 */
public record RelFileNode(int spcNode, int dbNode, int relNode) {

    public static final int SIZE = 12;

    public RelTag fork(ForkNumber fork) {
        return new RelTag(spcNode, dbNode, relNode, fork);
    }

    /** PostgreSQL's relpath of the main fork: {@code global/r}, {@code base/d/r} or {@code pg_tblspc/s/PG_15_202209061/d/r}. */
    public String path() {
        return RelPaths.path(fork(ForkNumber.MAIN));
    }
}
