package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * One timeline's layers at a moment (spec D.4): the open in-memory layer (or none), frozen
 * in-memory layers oldest first, and the persistent layers. Immutable: the timeline swaps whole
 * snapshots atomically, so a reader keeps a consistent view without locks.
 *
 * <p>{@link #search} picks the layer to read next for a key below an exclusive LSN bound: of the
 * newest delta, image and in-memory layer covering the key, the image wins if it reaches as high
 * as the delta; the in-memory layer wins unless a persistent one reaches higher; the floor keeps
 * every skipped part of a lower layer for a later round. Persistent layers are scanned linearly.
 */
public record LayerMap(InMemoryLayer open, List<InMemoryLayer> frozen, List<PersistentLayer> historic) {

    public static final LayerMap EMPTY = new LayerMap(null, List.of(), List.of());

    public LayerMap {
        frozen = List.copyOf(frozen);
        historic = List.copyOf(historic);
    }

    /** The layer to read for {@code key} below {@code cont} and the LSN to read down to. */
    public record Selection(Layer layer, Lsn floor) {}

    public LayerMap withOpen(InMemoryLayer layer) {
        return new LayerMap(layer, frozen, historic);
    }

    /** The open layer (already frozen by the caller) moved to the frozen list. */
    public LayerMap freezeOpen() {
        List<InMemoryLayer> f = new ArrayList<>(frozen);
        f.add(open);
        return new LayerMap(null, f, historic);
    }

    /** {@code flushed} replaced by the persistent layers written from it. */
    public LayerMap flushed(InMemoryLayer flushed, List<PersistentLayer> written) {
        List<InMemoryLayer> f = new ArrayList<>(frozen);
        if (!f.remove(flushed)) {
            throw new IllegalStateException(flushed + " is not frozen in this layer map");
        }
        List<PersistentLayer> h = new ArrayList<>(historic);
        h.addAll(written);
        return new LayerMap(open, f, h);
    }

    /** Persistent layers {@code removed} replaced by {@code added} (compaction, GC). */
    public LayerMap replace(List<PersistentLayer> removed, List<PersistentLayer> added) {
        List<PersistentLayer> h = new ArrayList<>(historic);
        h.removeAll(removed);
        h.addAll(added);
        return new LayerMap(open, frozen, h);
    }

    /** L0 deltas, oldest first. */
    public List<PersistentLayer> level0() {
        return historic.stream().filter(l -> l.name().isL0()).sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public Selection search(Key key, Lsn cont) {
        DeltaLayer delta = null;
        ImageLayer image = null;
        for (PersistentLayer layer : historic) {
            if (!layer.keyRange().contains(key) || layer.lsnRange().start().compareTo(cont) >= 0) {
                continue;
            }
            switch (layer) {
                case DeltaLayer d -> {
                    if (delta == null || top(d, cont).compareTo(top(delta, cont)) > 0) {
                        delta = d;
                    }
                }
                case ImageLayer i -> {
                    if (image == null || i.lsn().compareTo(image.lsn()) > 0) {
                        image = i;
                    }
                }
            }
        }
        Selection persistent = null;
        Lsn persistentTop = Lsn.INVALID;
        if (image != null && (delta == null || image.lsn().plus(1).compareTo(top(delta, cont)) >= 0)) {
            persistent = new Selection(image, image.lsn());
            persistentTop = image.lsn().plus(1);
        } else if (delta != null) {
            Lsn floor = image == null ? delta.lsnRange().start() : Lsn.max(delta.lsnRange().start(), image.lsn().plus(1));
            persistent = new Selection(delta, floor);
            persistentTop = top(delta, cont);
        }
        InMemoryLayer memory = newestInMemory(cont);
        if (memory == null) {
            return persistent;
        }
        Lsn memoryTop = top(memory, cont);
        int c = persistent == null ? 1 : memoryTop.compareTo(persistentTop);
        if (c > 0) {
            return new Selection(memory, Lsn.max(memory.start(), persistentTop));
        }
        if (c == 0) { // overlapping tops: read the in-memory layer whole, the persistent one below it
            return new Selection(memory, memory.start());
        }
        return new Selection(persistent.layer(), Lsn.max(persistent.floor(), memoryTop));
    }

    private InMemoryLayer newestInMemory(Lsn cont) {
        if (open != null && open.start().compareTo(cont) < 0) {
            return open;
        }
        for (InMemoryLayer f : frozen.reversed()) {
            if (f.start().compareTo(cont) < 0) {
                return f;
            }
        }
        return null;
    }

    private static Lsn top(Layer layer, Lsn cont) {
        return Lsn.min(layer.lsnRange().end(), cont);
    }
}
