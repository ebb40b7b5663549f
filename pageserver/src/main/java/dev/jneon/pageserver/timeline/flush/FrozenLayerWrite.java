package dev.jneon.pageserver.timeline.flush;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.layer.InMemoryLayer;
import dev.jneon.pageserver.layer.LayerFileWriter;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.LsnRange;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.layer.Tombstone;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a frozen in-memory layer to disk (spec D.2.5): an L0 delta over {@code [MIN, MAX) x [start,
 * end)}, or, for a layer of exactly {@code [initdb_lsn, initdb_lsn + 1)} holding only images and no
 * deletes, an image layer at initdb_lsn. Values are streamed from the ephemeral file in key order,
 * so the heap holds one value at a time. Stateless.
 */
public final class FrozenLayerWrite {

    private FrozenLayerWrite() {}

    public static PersistentLayer write(InMemoryLayer frozen, Path dir, Generation generation, TenantShardId tenant,
            TimelineId timeline, Lsn initdbLsn) {
        LsnRange range = frozen.lsnRange();
        List<Tombstone> tombstones = frozen.tombstones();
        boolean[] onlyImages = {true};
        if (range.equals(LsnRange.single(initdbLsn)) && tombstones.isEmpty()) {
            frozen.forEachInOrder((key, lsn, bytes, willInit) -> onlyImages[0] &= isImage(bytes));
        } else {
            onlyImages[0] = false;
        }
        LayerName name = onlyImages[0] ? LayerName.image(KeyRange.ALL, initdbLsn) : LayerName.delta(KeyRange.ALL, range);
        try (var writer = new LayerFileWriter(dir, name, generation, tenant, timeline)) {
            frozen.forEachInOrder(writer::append);
            tombstones.forEach(writer::addTombstone);
            return PersistentLayer.open(writer.finish());
        }
    }

    /** Whether an encoded value is an Image (tag 0, see ValueCodec). */
    private static boolean isImage(byte[] encoded) {
        return encoded[0] == 0 && encoded[1] == 0 && encoded[2] == 0 && encoded[3] == 0;
    }
}
