package dev.jneon.pageserver.tenant;

/**
 * A branch cannot start at the requested LSN (below the parent's branch point or GC cutoff, or
 * not reached by the parent's WAL in time); Neon answers 406 Not Acceptable.
 */
public final class BranchPointRejected extends RuntimeException {

    public BranchPointRejected(String message) {
        super(message);
    }
}
