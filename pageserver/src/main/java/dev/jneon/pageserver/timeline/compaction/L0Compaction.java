package dev.jneon.pageserver.timeline.compaction;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.layer.LayerFile;
import dev.jneon.pageserver.layer.LayerFileWriter;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.LsnRange;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.layer.Tombstone;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * L0 to L1 compaction (spec D.5): when at least compaction_threshold L0 deltas exist, the oldest
 * LSN-contiguous run of them (up to {@link dev.jneon.pageserver.config.TenantConf#compactionMaxBytes()})
 * is merge-sorted by (key, LSN) into one delta over {@code [first key, last key + 1) x [first.start,
 * last.end)}, range deletes included.
 *
 * <p>[jneon] The output is a single L1 file, so its rename is the commit point: after a crash, a
 * loader that finds a delta whose LSN range contains an L0's deletes that L0
 * ({@link #compactedAway}). Neon cuts L1s at checkpoint_distance; we do not (yet).
 * Values are copied one at a time; the heap holds one cursor per input. Stateless.
 */
public final class L0Compaction {

    private L0Compaction() {}

    /** The L0s to compact now, oldest first, or an empty list. {@code level0} is sorted oldest first. */
    public static List<PersistentLayer> choose(List<PersistentLayer> level0, int threshold, long maxBytes) {
        if (level0.size() < threshold) {
            return List.of();
        }
        List<PersistentLayer> chosen = new ArrayList<>();
        long bytes = 0;
        for (PersistentLayer layer : level0) {
            long size = size(layer);
            if (!chosen.isEmpty() && (!chosen.getLast().lsnRange().end().equals(layer.lsnRange().start()) || bytes + size > maxBytes)) {
                break;
            }
            chosen.add(layer);
            bytes += size;
        }
        return chosen.size() < 2 ? List.of() : chosen;
    }

    /** Whether {@code l0} is covered by another delta's LSN range: a compaction output that replaced it. */
    public static boolean compactedAway(LayerName l0, List<LayerName> all) {
        if (!l0.isL0()) {
            return false;
        }
        for (LayerName other : all) {
            if (!other.image() && !other.isL0() && other.lsns().start().compareTo(l0.lsns().start()) <= 0
                    && l0.lsns().end().compareTo(other.lsns().end()) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** Writes the merged L1 of {@code inputs} (LSN-contiguous, oldest first) and opens it. */
    public static PersistentLayer merge(List<PersistentLayer> inputs, Path dir, Generation generation, TenantShardId tenant,
            TimelineId timeline) {
        LsnRange lsns = new LsnRange(inputs.getFirst().lsnRange().start(), inputs.getLast().lsnRange().end());
        List<Tombstone> tombstones = inputs.stream().flatMap(l -> l.file().tombstones().stream()).toList();
        KeyRange keys = keyRange(inputs, tombstones);
        var name = LayerName.delta(keys, lsns);
        try (var writer = new LayerFileWriter(dir, name, generation, tenant, timeline)) {
            PriorityQueue<Cursor> queue = new PriorityQueue<>(Comparator.comparing((Cursor c) -> c.entry.key())
                    .thenComparing(c -> c.entry.lsn()).thenComparingInt(c -> c.order));
            for (int i = 0; i < inputs.size(); i++) {
                Cursor c = new Cursor(inputs.get(i).file(), i);
                if (c.advance()) {
                    queue.add(c);
                }
            }
            while (!queue.isEmpty()) {
                Cursor c = queue.poll();
                writer.append(c.entry.key(), c.entry.lsn(), c.file.read(c.entry), c.entry.willInit());
                if (c.advance()) {
                    queue.add(c);
                }
            }
            tombstones.forEach(writer::addTombstone);
            return PersistentLayer.open(writer.finish());
        }
    }

    private static KeyRange keyRange(List<PersistentLayer> inputs, List<Tombstone> tombstones) {
        Key start = null;
        Key end = null;
        for (PersistentLayer layer : inputs) {
            LayerFile f = layer.file();
            if (f.valueCount() > 0) {
                start = min(start, f.entry(0).key());
                end = max(end, f.entry(f.valueCount() - 1).key().next());
            }
        }
        for (Tombstone t : tombstones) {
            start = min(start, t.keys().start());
            end = max(end, t.keys().end());
        }
        return new KeyRange(start, end);
    }

    private static Key min(Key a, Key b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    private static Key max(Key a, Key b) {
        return a == null || b.compareTo(a) > 0 ? b : a;
    }

    private static long size(PersistentLayer layer) {
        return layer.fileSize();
    }

    /** Position in one input's index. Not thread-safe. */
    private static final class Cursor {
        final LayerFile file;
        final int order;
        long next;
        LayerFile.Entry entry;

        Cursor(LayerFile file, int order) {
            this.file = file;
            this.order = order;
        }

        boolean advance() {
            if (next >= file.valueCount()) {
                return false;
            }
            entry = file.entry(next++);
            return true;
        }
    }
}
