package dev.jneon.pageserver.timeline.gc;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.layer.ImageLayer;
import dev.jneon.pageserver.layer.PersistentLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Which layer files GC may delete (spec D.6), as a pure decision over a layer list. The caller
 * computes the cutoff ({@code min(last_record - gc_horizon, disk_consistent)}, or with a
 * pitr_interval the time cutoff of {@link LsnForTimestamp} in place of the space one),
 * publishes it as the applied cutoff, then deletes what {@link #select} returns. A layer goes only
 * if its end is at or below the cutoff, it starts above every branch point of a child, and an
 * image layer covering its whole key range exists in {@code [layer end, cutoff)}. Stateless.
 */
public final class GarbageCollection {

    private GarbageCollection() {}

    /** The outcome: layers to delete and the counts for the report. */
    public record Selection(List<PersistentLayer> remove, GcResult result) {}

    /** {@code byTime}: the cutoff came from pitr_interval, so layers it keeps count as needed by PITR. */
    public static Selection select(List<PersistentLayer> layers, Lsn cutoff, List<Lsn> retainLsns, boolean byTime) {
        Lsn maxRetain = retainLsns.stream().max(Lsn::compareTo).orElse(null);
        List<PersistentLayer> remove = new ArrayList<>();
        long byCutoff = 0;
        long byBranches = 0;
        long notUpdated = 0;
        for (PersistentLayer layer : layers) {
            if (layer.lsnRange().end().compareTo(cutoff) > 0) {
                byCutoff++;
            } else if (maxRetain != null && layer.lsnRange().start().compareTo(maxRetain) <= 0) {
                byBranches++;
            } else if (!coveredByNewerImage(layer, layers, cutoff)) {
                notUpdated++;
            } else {
                remove.add(layer);
            }
        }
        return new Selection(remove, new GcResult(layers.size(), byTime ? 0 : byCutoff, byTime ? byCutoff : 0,
                byBranches, notUpdated, remove.size()));
    }

    private static boolean coveredByNewerImage(PersistentLayer layer, List<PersistentLayer> layers, Lsn cutoff) {
        KeyRange keys = layer.keyRange();
        for (PersistentLayer other : layers) {
            if (other instanceof ImageLayer image && image != layer && image.keyRange().contains(keys)
                    && image.lsn().compareTo(layer.lsnRange().end()) >= 0 && image.lsn().compareTo(cutoff) < 0) {
                return true;
            }
        }
        return false;
    }
}
