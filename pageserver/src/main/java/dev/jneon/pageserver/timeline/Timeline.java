package dev.jneon.pageserver.timeline;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.disk.DurableFiles;
import dev.jneon.pageserver.layer.EphemeralFile;
import dev.jneon.pageserver.layer.InMemoryLayer;
import dev.jneon.pageserver.layer.LayerMap;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.remote.IndexPart;
import dev.jneon.pageserver.remote.UploadQueue;
import dev.jneon.pageserver.timeline.compaction.ImageLayerCreation;
import dev.jneon.pageserver.timeline.compaction.L0Compaction;
import dev.jneon.pageserver.timeline.flush.LayerFlusher;
import dev.jneon.pageserver.timeline.gc.GarbageCollection;
import dev.jneon.pageserver.timeline.gc.LsnForTimestamp;
import dev.jneon.pageserver.timeline.gc.GcResult;
import dev.jneon.pageserver.timeline.read.VectoredGet;
import dev.jneon.pageserver.value.Value;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One timeline of a tenant shard: its layers, its LSN positions and its background flusher
 * (spec D.1, D.2, D.4). Created by {@link TimelineLoader}.
 *
 * <p>Thread-safety: readers take the volatile {@link LayerMap} snapshot and never lock. Writes
 * ({@link TimelineWriter}) and freezes run under {@code writeLock}; layer-map swaps under
 * {@code layersLock}; LSN positions change under the {@code progress} monitor, which waiters use;
 * compaction, image creation and GC replace files one at a time under {@code maintenanceLock}.
 * No lock is held while a layer file is written.
 *
 * <p>With remote storage an {@link UploadQueue} is connected before activation: every layer-map
 * change schedules its uploads, an index upload and the deletions it allows while still holding
 * {@code layersLock}, so the queue sees the changes in the order they happened (spec E.4).
 */
public final class Timeline {

    /** Frozen layers beyond which a rolling writer waits for the flusher (spec D.2.6). */
    static final int MAX_FROZEN_LAYERS = 2;

    /** How long a flushing shutdown waits for the upload queue to drain. */
    static final Duration UPLOAD_DRAIN = Duration.ofSeconds(10);

    private final TenantShardId tenantShardId;
    private final TimelineId timelineId;
    private final java.nio.file.Path dir;
    private final Generation generation;
    private final Timeline ancestor;
    private final TimelineMetadata origin;
    private final Clock clock;
    private final LayerFlusher flusher;
    private final TimelineWriter writer = new TimelineWriter(this);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object layersLock = new Object();
    private final Object progress = new Object();
    private final Object maintenanceLock = new Object();

    private volatile TenantConf conf;
    private volatile LayerMap layers;
    private volatile RecordLsn recordLsn;
    private volatile Lsn diskConsistentLsn;
    private volatile Lsn gcCutoffLsn;
    private volatile Instant diskConsistentAdvancedAt;
    private volatile TimelineState state = TimelineState.LOADING;
    private volatile String brokenReason;
    private volatile UploadQueue uploads;

    // guarded by writeLock
    private Lsn nextLayerStart;
    private Lsn lastFreezeAt;
    private long ephemeralSeq;

    Timeline(TenantShardId tenantShardId, TimelineId timelineId, java.nio.file.Path dir, Generation generation,
            Timeline ancestor, TimelineMetadata metadata, TenantConf conf, List<PersistentLayer> historic,
            Lsn firstLayerStart, Clock clock) {
        if (metadata.ancestorTimelineId() != null
                && (ancestor == null || !ancestor.timelineId().equals(metadata.ancestorTimelineId()))) {
            throw new IllegalArgumentException("timeline " + timelineId + " needs its ancestor " + metadata.ancestorTimelineId());
        }
        this.tenantShardId = tenantShardId;
        this.timelineId = timelineId;
        this.dir = dir;
        this.generation = generation;
        this.ancestor = ancestor;
        this.origin = metadata;
        this.conf = conf;
        this.clock = clock;
        this.layers = new LayerMap(null, List.of(), historic);
        Lsn prev = metadata.prevRecordLsn() == null ? Lsn.INVALID : metadata.prevRecordLsn();
        this.recordLsn = new RecordLsn(metadata.diskConsistentLsn(), prev);
        this.diskConsistentLsn = metadata.diskConsistentLsn();
        this.gcCutoffLsn = metadata.latestGcCutoffLsn();
        this.nextLayerStart = firstLayerStart;
        this.lastFreezeAt = metadata.diskConsistentLsn();
        this.diskConsistentAdvancedAt = clock.instant();
        this.flusher = new LayerFlusher(this);
    }

    // ---- identity and state ----

    public TenantShardId tenantShardId() {
        return tenantShardId;
    }

    public TimelineId timelineId() {
        return timelineId;
    }

    public java.nio.file.Path dir() {
        return dir;
    }

    public Generation generation() {
        return generation;
    }

    public Timeline ancestor() {
        return ancestor;
    }

    public Lsn ancestorLsn() {
        return origin.ancestorLsn();
    }

    public Lsn initdbLsn() {
        return origin.initdbLsn();
    }

    public PgMajorVersion pgVersion() {
        return origin.pgVersion();
    }

    public TenantConf conf() {
        return conf;
    }

    public void setConf(TenantConf conf) {
        this.conf = conf;
    }

    public LayerMap layers() {
        return layers;
    }

    public RecordLsn recordLsn() {
        return recordLsn;
    }

    public Lsn lastRecordLsn() {
        return recordLsn.last();
    }

    public Lsn diskConsistentLsn() {
        return diskConsistentLsn;
    }

    public Lsn gcCutoffLsn() {
        return gcCutoffLsn;
    }

    public TimelineState state() {
        return state;
    }

    public String brokenReason() {
        return brokenReason;
    }

    /** Connects the timeline to remote storage; only before {@link #activate()}, which starts the queue. */
    public void enableUploads(UploadQueue queue) {
        if (state != TimelineState.LOADING) {
            throw new IllegalStateException(this + " is " + state.apiName() + ": uploads are enabled before activation");
        }
        uploads = queue;
    }

    /** The upload queue, or null without remote storage. */
    public UploadQueue uploads() {
        return uploads;
    }

    /** disk_consistent_lsn of the newest uploaded index; 0/0 without remote storage or before the first upload. */
    public Lsn remoteConsistentLsn() {
        UploadQueue q = uploads;
        return q == null ? Lsn.INVALID : q.remoteConsistentLsn();
    }

    /** Schedules an upload of the index of the current layers and metadata (no-op without remote storage). */
    public void scheduleIndexUpload() {
        UploadQueue q = uploads;
        if (q != null) {
            synchronized (layersLock) {
                q.scheduleIndexUpload(IndexPart.of(metadata(), layers.historic()));
            }
        }
    }

    /** Waits until everything scheduled for upload so far is in remote storage; true at once without remote storage. */
    public boolean awaitUploads(Duration timeout) throws InterruptedException {
        UploadQueue q = uploads;
        return q == null || q.waitCompletion(timeout);
    }

    /** Loading → Active; starts the flusher (and the upload queue). */
    public void activate() {
        if (state == TimelineState.LOADING) {
            UploadQueue q = uploads;
            if (q != null) {
                q.start();
            }
            flusher.start();
            state = TimelineState.ACTIVE;
        }
    }

    /** Fail-stop: the timeline refuses reads and writes until reloaded. */
    public void markBroken(String reason) {
        brokenReason = reason;
        state = TimelineState.BROKEN;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** The metadata as it would be persisted now. */
    public TimelineMetadata metadata() {
        RecordLsn rec = recordLsn;
        Lsn disk = diskConsistentLsn;
        Lsn prev = disk.equals(rec.last()) && rec.prev().isValid() ? rec.prev() : null;
        return new TimelineMetadata(disk, prev, origin.ancestorTimelineId(), origin.ancestorLsn(), gcCutoffLsn,
                origin.initdbLsn(), origin.pgVersion());
    }

    // ---- reads ----

    /** The content of {@code key} at {@code lsn}; see {@link VectoredGet}. */
    public byte[] get(Key key, Lsn lsn) {
        requireReadable(lsn);
        return VectoredGet.get(this, key, lsn);
    }

    public Map<Key, byte[]> getVectored(Collection<Key> keys, Lsn lsn) {
        requireReadable(lsn);
        return VectoredGet.get(this, keys, lsn);
    }

    private void requireReadable(Lsn lsn) {
        if (state == TimelineState.BROKEN || state == TimelineState.STOPPING) {
            throw new IllegalStateException("timeline " + timelineId + " is " + state.apiName()
                    + (brokenReason == null ? "" : ": " + brokenReason));
        }
        if (lsn.compareTo(gcCutoffLsn) < 0) {
            throw new IllegalArgumentException("LSN " + lsn + " is below the GC cutoff " + gcCutoffLsn);
        }
    }

    /** Returns once last_record_lsn ≥ {@code lsn}; false after {@code timeout} or if the timeline breaks. */
    public boolean waitLsn(Lsn lsn, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (recordLsn.last().compareTo(lsn) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || state == TimelineState.BROKEN) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    // ---- writes (TimelineWriter) ----

    /** The single writer of this timeline, for the ingest task. */
    public TimelineWriter writer() {
        return writer;
    }

    void put(Key key, Lsn lsn, Value value) {
        writeLock.lock();
        try {
            requireWritable(lsn);
            openLayerFor(lsn).put(key, lsn, value);
        } finally {
            writeLock.unlock();
        }
        flusher.awaitFrozenAtMost(MAX_FROZEN_LAYERS);
    }

    void delete(KeyRange keys, Lsn lsn) {
        writeLock.lock();
        try {
            requireWritable(lsn);
            openLayerFor(lsn).delete(keys, lsn);
        } finally {
            writeLock.unlock();
        }
    }

    void finishWrite(Lsn recordEnd) {
        synchronized (progress) {
            recordLsn = recordLsn.advance(recordEnd);
            progress.notifyAll();
        }
    }

    private void requireWritable(Lsn lsn) {
        if (state == TimelineState.BROKEN || state == TimelineState.STOPPING) {
            throw new IllegalStateException("timeline " + timelineId + " is " + state.apiName() + ", writes refused");
        }
        if (lsn.compareTo(recordLsn.last()) <= 0 && recordLsn.last().isValid()) {
            throw new IllegalArgumentException("write at " + lsn + " is not above last_record_lsn " + recordLsn.last());
        }
    }

    /** Rolls the open layer per spec D.2.3 and returns the layer to write {@code lsn} into. Caller holds writeLock. */
    private InMemoryLayer openLayerFor(Lsn lsn) {
        InMemoryLayer open = layers.open();
        if (open != null && !open.isEmpty() && !lsn.equals(open.maxLsn()) && shouldRoll(open, lsn)) {
            freezeLocked(open);
            open = null;
        }
        if (open == null) {
            open = new InMemoryLayer(dir.resolve(EphemeralFile.PREFIX + ephemeralSeq++), nextLayerStart, clock.instant());
            synchronized (layersLock) {
                layers = layers.withOpen(open);
            }
        }
        return open;
    }

    private boolean shouldRoll(InMemoryLayer open, Lsn lsn) {
        TenantConf c = conf;
        return lsn.minus(lastFreezeAt) >= c.checkpointDistance()
                || open.sizeBytes() >= c.checkpointDistance()
                || !clock.instant().isBefore(open.createdAt().plus(c.checkpointTimeout()));
    }

    private void freezeLocked(InMemoryLayer open) {
        Lsn end = open.maxLsn().plus(1);
        open.freeze(end);
        nextLayerStart = end;
        lastFreezeAt = open.maxLsn();
        synchronized (layersLock) {
            layers = layers.freezeOpen();
        }
        flusher.wake();
    }

    /**
     * Freezes the open layer if its newest record is finished and {@code force} or its age passed
     * checkpoint_timeout (a record's values never straddle two layers).
     */
    public void freezeIfDue(boolean force) {
        writeLock.lock();
        try {
            InMemoryLayer open = layers.open();
            if ((open == null || open.isEmpty()) && !force) {
                advanceIdleDiskConsistent();
                return;
            }
            if (open == null || open.isEmpty() || open.maxLsn().compareTo(recordLsn.last()) > 0) {
                return;
            }
            Instant due = open.createdAt().plus(conf.checkpointTimeout());
            if (force || !clock.instant().isBefore(due)) {
                freezeLocked(open);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * With nothing in memory, records that stored no values still move disk_consistent_lsn up to
     * last_record_lsn once checkpoint_timeout passed since it last moved (spec D.2.4). Caller holds writeLock.
     */
    private void advanceIdleDiskConsistent() {
        Lsn last = recordLsn.last();
        if (layers.frozen().isEmpty() && last.compareTo(diskConsistentLsn) > 0
                && !clock.instant().isBefore(diskConsistentAdvancedAt.plus(conf.checkpointTimeout()))) {
            advanceDiskConsistent(last);
        }
    }

    // ---- flush (LayerFlusher) ----

    /** Swaps a flushed frozen layer for its files, advances disk_consistent_lsn and persists the metadata. */
    public void completeFlush(InMemoryLayer frozen, List<PersistentLayer> written) {
        synchronized (layersLock) {
            layers = layers.flushed(frozen, written);
            UploadQueue q = uploads;
            if (q != null) {
                written.forEach(q::scheduleLayerUpload);
            }
        }
        frozen.discard();
        Lsn end = frozen.lsnRange().end().plus(-1);
        advanceDiskConsistent(Lsn.min(end, recordLsn.last()));
    }

    private void advanceDiskConsistent(Lsn disk) {
        synchronized (progress) {
            if (disk.compareTo(diskConsistentLsn) > 0) {
                diskConsistentLsn = disk;
                diskConsistentAdvancedAt = clock.instant();
            }
            TimelineMetadataFile.write(dir, metadata());
            progress.notifyAll();
        }
        scheduleIndexUpload();
    }

    /**
     * Runs one L0 to L1 compaction if enough L0s exist (spec D.5); returns whether it did. Called
     * by the flusher thread only, so it never races another compaction. The inputs are closed and
     * deleted after the swap; readers still on them retry on the new snapshot.
     */
    public boolean compactLevel0() {
        synchronized (maintenanceLock) {
            return compactLevel0Locked();
        }
    }

    private boolean compactLevel0Locked() {
        TenantConf c = conf;
        List<PersistentLayer> inputs = L0Compaction.choose(layers.level0(), c.compactionThreshold(), c.compactionMaxBytes());
        if (inputs.isEmpty()) {
            return false;
        }
        PersistentLayer l1 = L0Compaction.merge(inputs, dir, generation, tenantShardId, timelineId);
        replaceLayers(inputs, List.of(l1));
        return true;
    }

    /**
     * Swaps layers in the map, then closes and deletes the removed files; with remote storage the
     * new layers and the index are uploaded first and the removed files go (remotely, then locally)
     * after that index. Caller holds maintenanceLock.
     */
    private void replaceLayers(List<PersistentLayer> removed, List<PersistentLayer> added) {
        UploadQueue q = uploads;
        synchronized (layersLock) {
            layers = layers.replace(removed, added);
            if (q != null) {
                added.forEach(q::scheduleLayerUpload);
                q.scheduleIndexUpload(IndexPart.of(metadata(), layers.historic()));
                q.scheduleDeletion(removed);
            }
        }
        if (q != null) {
            removed.forEach(PersistentLayer::close);
            return;
        }
        try {
            for (PersistentLayer layer : removed) {
                layer.close();
                java.nio.file.Files.deleteIfExists(layer.path());
            }
            DurableFiles.fsyncDirectory(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete replaced layers of " + this, e);
        }
    }

    /**
     * One GC run (spec D.6). Without pitr_interval the cutoff is {@code min(last_record - gcHorizon,
     * disk_consistent)}; with it, the LSN of the newest commit before {@code now - pitr_interval}
     * ({@link LsnForTimestamp}; last_record when every commit is older) replaces the space cutoff,
     * and GC does nothing when no such commit is known. Layers at or above any of
     * {@code retainLsns} (children's branch points) stay. The new cutoff is persisted before any
     * file goes.
     */
    public GcResult gc(long gcHorizon, List<Lsn> retainLsns) {
        synchronized (maintenanceLock) {
            List<PersistentLayer> historic = layers.historic();
            Lsn last = recordLsn.last();
            Lsn space = last.minus(Lsn.INVALID) > gcHorizon ? last.plus(-gcHorizon) : Lsn.INVALID;
            boolean byTime = !conf.pitrInterval().isZero();
            if (byTime) {
                switch (LsnForTimestamp.find(this, clock.instant().minus(conf.pitrInterval()))) {
                    case LsnForTimestamp.Result.Present p -> space = p.lsn();
                    case LsnForTimestamp.Result.Future f -> space = last;
                    case LsnForTimestamp.Result.Past p -> {
                        return GcResult.keptForPitr(historic.size());
                    }
                    case LsnForTimestamp.Result.NoData n -> {
                        return GcResult.keptForPitr(historic.size());
                    }
                }
            }
            Lsn cutoff = Lsn.min(space, diskConsistentLsn);
            if (cutoff.compareTo(gcCutoffLsn) <= 0) {
                return GcResult.unchanged(historic.size());
            }
            synchronized (progress) {
                gcCutoffLsn = cutoff;
                TimelineMetadataFile.write(dir, metadata());
            }
            GarbageCollection.Selection selection = GarbageCollection.select(historic, cutoff, retainLsns, byTime);
            replaceLayers(selection.remove(), List.of());
            return selection.result();
        }
    }

    /**
     * Writes an image layer if one is due (spec D.5); returns whether it did. Flusher thread only.
     */
    public boolean createImageLayerIfDue() {
        synchronized (maintenanceLock) {
            Lsn at = ImageLayerCreation.due(layers, conf);
            if (at == null) {
                return false;
            }
            PersistentLayer image = ImageLayerCreation.create(this, at);
            replaceLayers(List.of(), List.of(image));
            return true;
        }
    }

    /**
     * Freezes the open layer, waits until every frozen layer is on disk and the compaction and image
     * creation that followed are done, and if nothing remains in memory moves disk_consistent_lsn up
     * to last_record_lsn (the checkpoint of spec F.1).
     */
    public void checkpoint() throws InterruptedException {
        freezeIfDue(true);
        flusher.awaitIdle();
        if (state == TimelineState.BROKEN) {
            throw new IllegalStateException("timeline " + timelineId + " is Broken: " + brokenReason);
        }
        writeLock.lock();
        try {
            LayerMap map = layers;
            if ((map.open() == null || map.open().isEmpty()) && map.frozen().isEmpty()) {
                advanceDiskConsistent(recordLsn.last());
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Stops the flusher (after flushing when {@code flush}), closes files; in-memory data is dropped. */
    public void shutdown(boolean flush) {
        if (flush && state == TimelineState.ACTIVE) {
            try {
                checkpoint();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                markBroken("flush at shutdown failed: " + e.getMessage());
            }
        }
        if (state != TimelineState.BROKEN) {
            state = TimelineState.STOPPING;
        }
        flusher.close();
        UploadQueue q = uploads;
        if (q != null) {
            q.close(flush ? UPLOAD_DRAIN : Duration.ZERO);
        }
        LayerMap map = layers;
        if (map.open() != null) {
            map.open().discard();
        }
        map.frozen().forEach(InMemoryLayer::discard);
        map.historic().forEach(PersistentLayer::close);
    }

    @Override
    public String toString() {
        return "Timeline[" + tenantShardId + "/" + timelineId + "]";
    }
}
