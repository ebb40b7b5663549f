package dev.jneon.pageserver.timeline.compaction;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.layer.DeltaLayer;
import dev.jneon.pageserver.layer.ImageLayer;
import dev.jneon.pageserver.layer.LayerFile;
import dev.jneon.pageserver.layer.LayerFileWriter;
import dev.jneon.pageserver.layer.LayerMap;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import dev.jneon.pageserver.value.Value;
import dev.jneon.pageserver.value.ValueCodec;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Image layer creation (spec D.5, [jneon] one partition = the whole key space): when at least
 * image_creation_threshold deltas lie above the newest whole-key-space image and
 * image_layer_creation_check_threshold x checkpoint_distance of WAL passed since it, every key
 * that exists at L = the newest persistent layer's end - 1 is read and written as an image over
 * {@code [MIN, MAX)} at L. The key space is the sorted merge of the key indexes of this timeline's
 * and its ancestors' layer files (streamed, never collected); keys that do not exist at L (deleted,
 * absent from an older image) are left out, which is what an image layer says about them.
 * Stateless.
 */
public final class ImageLayerCreation {

    private ImageLayerCreation() {}

    /** The LSN for a new image layer, or null when none is due. */
    public static Lsn due(LayerMap map, TenantConf conf) {
        Lsn newestImage = Lsn.INVALID;
        for (PersistentLayer l : map.historic()) {
            if (l instanceof ImageLayer i && i.keyRange().equals(KeyRange.ALL) && i.lsn().compareTo(newestImage) > 0) {
                newestImage = i.lsn();
            }
        }
        int above = 0;
        Lsn top = Lsn.INVALID;
        for (PersistentLayer l : map.historic()) {
            if (l instanceof DeltaLayer && l.lsnRange().start().compareTo(newestImage) > 0) {
                above++;
                top = Lsn.max(top, l.lsnRange().end().plus(-1));
            }
        }
        boolean enoughWal = top.minus(newestImage) >= conf.imageLayerCreationCheckThreshold() * conf.checkpointDistance();
        return above >= conf.imageCreationThreshold() && enoughWal ? top : null;
    }

    /** Writes the image layer of {@code timeline} at {@code at} and opens it. */
    public static PersistentLayer create(Timeline timeline, Lsn at) {
        var name = LayerName.image(KeyRange.ALL, at);
        try (var writer = new LayerFileWriter(timeline.dir(), name, timeline.generation(), timeline.tenantShardId(),
                timeline.timelineId())) {
            PriorityQueue<KeyCursor> queue = new PriorityQueue<>(Comparator.comparing((KeyCursor c) -> c.key));
            for (Timeline t = timeline; t != null; t = t.ancestor()) {
                for (PersistentLayer layer : t.layers().historic()) {
                    KeyCursor c = new KeyCursor(layer.file());
                    if (c.advance()) {
                        queue.add(c);
                    }
                }
            }
            Key previous = null;
            while (!queue.isEmpty()) {
                KeyCursor c = queue.poll();
                Key key = c.key;
                if (c.advance()) {
                    queue.add(c);
                }
                if (key.equals(previous)) {
                    continue;
                }
                previous = key;
                byte[] content;
                try {
                    content = timeline.get(key, at);
                } catch (MissingKeyException e) {
                    continue; // does not exist at this LSN
                }
                writer.append(key, at, ValueCodec.encode(Value.image(content)), true);
            }
            return PersistentLayer.open(writer.finish());
        }
    }

    /** Walks the distinct keys of one layer file's index in order. Not thread-safe. */
    private static final class KeyCursor {
        private final LayerFile file;
        private long next;
        Key key;

        KeyCursor(LayerFile file) {
            this.file = file;
        }

        boolean advance() {
            while (next < file.valueCount()) {
                Key k = file.entry(next++).key();
                if (!k.equals(key)) {
                    key = k;
                    return true;
                }
            }
            return false;
        }
    }
}
