package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.value.PageVersion;
import dev.jneon.pageserver.value.Value;
import dev.jneon.pageserver.value.ValueCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The layer receiving ingested values (spec D.2): values go to an {@link EphemeralFile}; the heap
 * holds only a per-key index of {@code (lsn, offset, length << 1 | will_init)} triples in a long
 * array, so memory stays bounded by the number of versions, not their size. Range deletes are kept
 * as {@link Tombstone}s. Covers {@code [start, ∞)} while open and {@code [start, end)} once frozen.
 *
 * <p>A reader holding an old {@link LayerMap} snapshot may find the layer discarded after its
 * flush; it then gets {@link LayerRetiredException} and retries on a fresh snapshot.
 *
 * <p>Thread-safety: one writer (the timeline's, under its write lock) appends; readers on any
 * thread copy a key's index entries under that key's monitor and read the file without locks.
 */
public final class InMemoryLayer implements Layer {

    private final Lsn start;
    private final EphemeralFile file;
    private final Instant createdAt;
    private final ConcurrentSkipListMap<Key, History> index = new ConcurrentSkipListMap<>();
    private final List<Tombstone> tombstones = new CopyOnWriteArrayList<>();
    private volatile Lsn end = Lsn.MAX;
    private volatile Lsn maxLsn;
    private volatile boolean discarded;

    public InMemoryLayer(Path file, Lsn start, Instant createdAt) {
        this.start = start;
        this.file = new EphemeralFile(file);
        this.createdAt = createdAt;
    }

    /** One key's versions in LSN order; guarded by its own monitor. */
    private static final class History {
        private long[] triples = new long[6];
        private int count;

        synchronized void add(long lsn, long offset, int length, boolean willInit) {
            if (count > 0 && Long.compareUnsigned(triples[(count - 1) * 3], lsn) > 0) {
                throw new IllegalArgumentException("versions of a key must be written in LSN order");
            }
            if ((count + 1) * 3 > triples.length) {
                triples = Arrays.copyOf(triples, triples.length * 2);
            }
            triples[count * 3] = lsn;
            triples[count * 3 + 1] = offset;
            triples[count * 3 + 2] = (long) length << 1 | (willInit ? 1 : 0);
            count++;
        }

        synchronized List<LayerFile.Entry> entries(Key key, Lsn floor, Lsn cont, boolean newestFirst) {
            List<LayerFile.Entry> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long lsn = triples[i * 3];
                if (Long.compareUnsigned(lsn, floor.value()) >= 0 && Long.compareUnsigned(lsn, cont.value()) < 0) {
                    long packed = triples[i * 3 + 2];
                    out.add(new LayerFile.Entry(key, Lsn.of(lsn), triples[i * 3 + 1], (int) (packed >>> 1), (packed & 1) != 0));
                }
            }
            return newestFirst ? out.reversed() : out;
        }
    }

    /** Appends {@code value} of {@code key} at {@code lsn}; returns the bytes stored. */
    public int put(Key key, Lsn lsn, Value value) {
        requireWritable(lsn);
        byte[] encoded = ValueCodec.encode(value);
        long offset = file.append(encoded);
        index.computeIfAbsent(key, k -> new History()).add(lsn.value(), offset, encoded.length, value.willInit());
        noteLsn(lsn);
        return encoded.length;
    }

    public void delete(KeyRange keys, Lsn lsn) {
        requireWritable(lsn);
        tombstones.add(new Tombstone(keys, lsn));
        noteLsn(lsn);
    }

    private void requireWritable(Lsn lsn) {
        if (isFrozen()) {
            throw new IllegalStateException("in-memory layer " + lsnRange() + " is frozen");
        }
        if (lsn.compareTo(start) < 0) {
            throw new IllegalArgumentException("LSN " + lsn + " is below the open layer's start " + start);
        }
    }

    private void noteLsn(Lsn lsn) {
        if (maxLsn == null || lsn.compareTo(maxLsn) > 0) {
            maxLsn = lsn;
        }
    }

    /** Stops writes: the layer now covers {@code [start, end)}. */
    public void freeze(Lsn end) {
        if (end.compareTo(start) <= 0 || (maxLsn != null && end.compareTo(maxLsn) <= 0)) {
            throw new IllegalArgumentException("cannot freeze layer from " + start + " at " + end);
        }
        this.end = end;
    }

    public boolean isFrozen() {
        return !end.equals(Lsn.MAX);
    }

    public boolean isEmpty() {
        return maxLsn == null;
    }

    /** The highest LSN written, or null when empty. */
    public Lsn maxLsn() {
        return maxLsn;
    }

    public long sizeBytes() {
        return file.size();
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Lsn start() {
        return start;
    }

    @Override
    public KeyRange keyRange() {
        return KeyRange.ALL;
    }

    @Override
    public LsnRange lsnRange() {
        return new LsnRange(start, end);
    }

    @Override
    public ReadOutcome collect(Key key, Lsn floor, Lsn cont, List<PageVersion> sink) {
        History h = index.get(key);
        List<LayerFile.Entry> entries = h == null ? List.of() : h.entries(key, floor, cont, true);
        Lsn deletedAt = Layer.newestDelete(tombstones, key, floor, cont);
        try {
            return Layer.scan(entries, deletedAt, e -> file.read(e.offset(), e.length()), sink);
        } catch (java.io.UncheckedIOException e) {
            if (discarded) {
                throw new LayerRetiredException(this + " was flushed and discarded during the read");
            }
            throw e;
        }
    }

    /** Every key's versions in (key, LSN) order, with the encoded bytes, for flushing. */
    public void forEachInOrder(VersionConsumer consumer) {
        for (Map.Entry<Key, History> e : index.entrySet()) {
            for (LayerFile.Entry v : e.getValue().entries(e.getKey(), Lsn.INVALID, Lsn.MAX, false)) {
                consumer.accept(v.key(), v.lsn(), file.read(v.offset(), v.length()), v.willInit());
            }
        }
    }

    public List<Tombstone> tombstones() {
        return List.copyOf(tombstones);
    }

    /** Receives one stored version. */
    @FunctionalInterface
    public interface VersionConsumer {
        void accept(Key key, Lsn lsn, byte[] encodedValue, boolean willInit);
    }

    /** Deletes the ephemeral file; called once the layer is flushed or dropped. */
    public void discard() {
        discarded = true;
        file.close();
    }

    @Override
    public String toString() {
        return "InMemoryLayer[" + lsnRange() + "]";
    }
}
