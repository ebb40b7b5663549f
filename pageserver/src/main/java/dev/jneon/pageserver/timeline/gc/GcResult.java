package dev.jneon.pageserver.timeline.gc;

/**
 * Counts of one GC run over one timeline, with Neon's do_gc field meanings: layers kept because
 * they reach the space cutoff, the time (PITR) cutoff, a child's branch point at or above them, or
 * because no newer image covers them ("not updated"); and layers removed. Immutable.
 */
public record GcResult(long layersTotal, long layersNeededByCutoff, long layersNeededByPitr, long layersNeededByBranches,
        long layersNotUpdated, long layersRemoved) {

    /** Nothing removed: every layer is kept for the time (PITR) cutoff. */
    public static GcResult keptForPitr(long layers) {
        return new GcResult(layers, 0, layers, 0, 0, 0);
    }

    /** Nothing removed: the cutoff did not move. */
    public static GcResult unchanged(long layers) {
        return new GcResult(layers, layers, 0, 0, 0, 0);
    }
}
