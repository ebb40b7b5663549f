package dev.jneon.pageserver.timeline.read;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.pageserver.layer.LayerMap;
import dev.jneon.pageserver.layer.LayerRetiredException;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineState;
import dev.jneon.pageserver.value.PageVersion;
import dev.jneon.pageserver.value.Reconstruction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read path of spec D.4: for each key, walk the layer map down from {@code lsn + 1}, reading
 * each selected layer over {@code [floor, cont)} newest first until a will-init value, then continue
 * in the ancestor below the branch point, then reconstruct (spec C). Works on immutable layer-map
 * snapshots, so it holds no lock while reading files; a read that meets an in-memory layer
 * discarded after its flush starts again. Stateless.
 */
public final class VectoredGet {

    /** Replacements one read may run into before it gives up (each means a swap happened meanwhile). */
    private static final int MAX_ATTEMPTS = 100;

    private VectoredGet() {}

    /** Each key's content at {@code lsn}, in the order given; {@link MissingKeyException} for a key without one. */
    public static Map<Key, byte[]> get(Timeline timeline, Collection<Key> keys, Lsn lsn) {
        Map<Key, byte[]> out = new LinkedHashMap<>();
        for (Key key : keys) {
            out.put(key, get(timeline, key, lsn));
        }
        return out;
    }

    public static byte[] get(Timeline timeline, Key key, Lsn lsn) {
        for (int attempt = 1; ; attempt++) {
            try {
                return getOnce(timeline, key, lsn);
            } catch (LayerRetiredException e) {
                // a flush or compaction replaced a layer under us; the new snapshot has its successor
                TimelineState state = timeline.state();
                if (state == TimelineState.STOPPING || state == TimelineState.BROKEN || attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("read of " + key + " at " + lsn + " on " + timeline + " gave up: "
                            + e.getMessage() + " (timeline " + state.apiName() + ", attempt " + attempt + ")");
                }
            }
        }
    }

    private static byte[] getOnce(Timeline timeline, Key key, Lsn lsn) {
        List<PageVersion> versions = new ArrayList<>();
        Timeline current = timeline;
        Lsn cont = lsn.plus(1);
        while (true) {
            LayerMap map = current.layers();
            LayerMap.Selection selection;
            while ((selection = map.search(key, cont)) != null) {
                switch (selection.layer().collect(key, selection.floor(), cont, versions)) {
                    case COMPLETE -> {
                        return Reconstruction.reconstruct(key, versions);
                    }
                    case DELETED -> throw new MissingKeyException(key, lsn, "deleted on timeline " + current.timelineId());
                    case ABSENT -> throw new MissingKeyException(key, lsn, "not in image layer " + selection.layer()
                            + (versions.isEmpty() ? "" : " below " + versions.size() + " newer records"));
                    case CONTINUE -> cont = selection.floor();
                }
            }
            if (key.equals(Key.AUX_FILES_V1) || key.field1() == 0x62 || key.field1() == 0x63) {
                throw new MissingKeyException(key, lsn, "not inherited from ancestors");
            }
            Timeline ancestor = current.ancestor();
            if (ancestor == null) {
                throw new MissingKeyException(key, lsn, versions.isEmpty() ? "never written"
                        : "no image below " + versions.size() + " records");
            }
            cont = Lsn.min(cont, current.ancestorLsn().plus(1));
            current = ancestor;
        }
    }
}
