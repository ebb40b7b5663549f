package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.value.PageVersion;
import dev.jneon.pageserver.value.ValueCodec;
import java.util.List;
import java.util.function.Function;

/**
 * A rectangle of keys x LSNs holding page versions: the open or a frozen {@link InMemoryLayer}, or
 * a {@link PersistentLayer} file. Implementations are thread-safe for reads.
 */
public sealed interface Layer permits InMemoryLayer, PersistentLayer {

    KeyRange keyRange();

    LsnRange lsnRange();

    /**
     * Adds the versions of {@code key} with LSN in {@code [floor, cont)} to {@code sink}, newest
     * first, stopping at a will-init value or a delete.
     */
    ReadOutcome collect(Key key, Lsn floor, Lsn cont, List<PageVersion> sink);

    /** What reading one layer for one key found. */
    enum ReadOutcome {
        /** A will-init value was reached: the key can be reconstructed. */
        COMPLETE,
        /** The key was deleted at or below the versions collected: it does not exist. */
        DELETED,
        /** An image layer covering the key does not hold it: it does not exist at that LSN. */
        ABSENT,
        /** Older versions are needed. */
        CONTINUE
    }

    /**
     * Shared scan over {@code newestFirst} entries: a tombstone at LSN {@code deletedAt} (or null)
     * hides entries below it; entries at the same LSN are newer than the delete.
     */
    static ReadOutcome scan(List<LayerFile.Entry> newestFirst, Lsn deletedAt, Function<LayerFile.Entry, byte[]> reader,
            List<PageVersion> sink) {
        for (LayerFile.Entry e : newestFirst) {
            if (deletedAt != null && e.lsn().compareTo(deletedAt) < 0) {
                return ReadOutcome.DELETED;
            }
            sink.add(new PageVersion(e.lsn(), ValueCodec.decode(reader.apply(e))));
            if (e.willInit()) {
                return ReadOutcome.COMPLETE;
            }
        }
        return deletedAt != null ? ReadOutcome.DELETED : ReadOutcome.CONTINUE;
    }

    /** The newest tombstone covering {@code key} with LSN in {@code [floor, cont)}, or null. */
    static Lsn newestDelete(List<Tombstone> tombstones, Key key, Lsn floor, Lsn cont) {
        Lsn newest = null;
        for (Tombstone t : tombstones) {
            if (t.keys().contains(key) && t.lsn().compareTo(floor) >= 0 && t.lsn().compareTo(cont) < 0
                    && (newest == null || t.lsn().compareTo(newest) > 0)) {
                newest = t.lsn();
            }
        }
        return newest;
    }
}
