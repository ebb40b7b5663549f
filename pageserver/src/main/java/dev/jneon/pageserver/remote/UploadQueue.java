package dev.jneon.pageserver.remote;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.remote.ObjectSource;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.pageserver.disk.DurableFiles;
import dev.jneon.pageserver.layer.PersistentLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload queue of one timeline (spec E.4): layer uploads, index uploads and deletions run one
 * at a time on a virtual thread, in the order scheduled, which gives every ordering rule at once:
 * an index is uploaded after the layers it names, indices never reorder, and a layer is deleted
 * (remotely, then locally) only after an index that no longer names it is in remote storage.
 * Consecutive index uploads coalesce into the newest. A failed operation is retried with jittered
 * backoff (100 ms doubling to 10 s) until it succeeds or the queue shuts down. After an index
 * upload, remote_consistent_lsn becomes its disk_consistent_lsn. [jneon] There is no storage
 * controller to validate generations, so the visible LSN equals the projected one and deletions
 * run without validation (E.5).
 *
 * <p>Thread-safe: the queue and its counters are guarded by this object's monitor; the worker
 * holds no lock while it talks to remote storage.
 */
public final class UploadQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UploadQueue.class);
    private static final Duration BASE_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final RemoteClient client;
    private final TenantShardId tenant;
    private final TimelineId timeline;
    private final Generation generation;
    private final Path dir;
    private final Deque<UploadOp> pending = new ArrayDeque<>();
    private long scheduled;
    private long completed;
    private boolean stopping;
    private Thread worker;
    private volatile Lsn remoteConsistentLsn;

    /** @param initialRemoteConsistentLsn disk_consistent_lsn of the index already in remote storage (0/0 without one) */
    UploadQueue(RemoteClient client, TenantShardId tenant, TimelineId timeline, Generation generation, Path dir,
            Lsn initialRemoteConsistentLsn) {
        this.client = client;
        this.tenant = tenant;
        this.timeline = timeline;
        this.generation = generation;
        this.dir = dir;
        this.remoteConsistentLsn = initialRemoteConsistentLsn;
    }

    public synchronized void start() {
        if (worker == null) {
            worker = Thread.ofVirtual().name("upload-" + timeline).start(this::run);
        }
    }

    public Lsn remoteConsistentLsn() {
        return remoteConsistentLsn;
    }

    /** Operations scheduled and not yet finished. */
    public synchronized int length() {
        return pending.size();
    }

    public void scheduleLayerUpload(PersistentLayer layer) {
        enqueue(new UploadOp.UploadLayer(layer));
    }

    public void scheduleIndexUpload(IndexPart index) {
        enqueue(new UploadOp.UploadIndex(index));
    }

    /**
     * Layers just removed from the layer map (compaction, GC): their remote objects and local files
     * go after every operation scheduled so far. The caller scheduled the index without them first.
     */
    public void scheduleDeletion(List<PersistentLayer> removed) {
        if (removed.isEmpty()) {
            return;
        }
        List<RemotePath> paths = new ArrayList<>();
        for (PersistentLayer l : removed) {
            paths.add(RemoteLayout.layer(tenant, timeline, l.name(), l.generation()));
        }
        synchronized (this) {
            enqueue(new UploadOp.DeleteRemote(paths));
            enqueue(new UploadOp.DeleteLocal(removed));
        }
    }

    /** Appends an operation; after shutdown it is dropped (the next load re-uploads from the index's view). */
    private synchronized void enqueue(UploadOp op) {
        if (stopping) {
            log.info("{}/{}: upload queue is shut down, dropping the {}", tenant, timeline, describe(op));
            return;
        }
        pending.addLast(op);
        scheduled++;
        notifyAll();
    }

    /**
     * Waits until everything scheduled before this call is done (the barrier of timeline creation
     * and the checkpoint API); false on timeout or when the queue stops first.
     */
    public boolean waitCompletion(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            long target = scheduled;
            while (completed < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopping) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Lets the queue drain for up to {@code drain}, then stops the worker (what is left is not uploaded). */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    public void close(Duration drain) {
        try {
            if (!drain.isZero()) {
                waitCompletion(drain);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Thread t;
        synchronized (this) {
            stopping = true;
            notifyAll();
            t = worker;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            UploadOp op;
            synchronized (this) {
                while (pending.isEmpty() && !stopping) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopping) {
                    return;
                }
                var ahead = pending.iterator();
                op = ahead.next();
                if (op instanceof UploadOp.UploadIndex && ahead.hasNext() && ahead.next() instanceof UploadOp.UploadIndex) {
                    finish(); // a newer index follows at once: upload only that one
                    continue;
                }
            }
            if (!executeWithRetries(op)) {
                return;
            }
            synchronized (this) {
                finish();
            }
        }
    }

    /** Removes the head; caller holds the monitor. */
    private void finish() {
        pending.pollFirst();
        completed++;
        notifyAll();
    }

    private boolean executeWithRetries(UploadOp op) {
        for (int attempt = 1; ; attempt++) {
            try {
                execute(op);
                return true;
            } catch (RemoteStorageException.Cancelled e) {
                return false;
            } catch (RemoteStorageException | IOException | RuntimeException e) {
                if (isStopping()) {
                    return false;
                }
                client.counters().failures.incrementAndGet();
                log.warn("{}/{}: {} failed (attempt {}), retrying: {}", tenant, timeline, describe(op), attempt,
                        e.toString());
                long ceiling = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt - 1, 20));
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
                } catch (InterruptedException interrupted) {
                    return false;
                }
            }
        }
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    private void execute(UploadOp op) throws RemoteStorageException, IOException {
        RemoteCounters counters = client.counters();
        switch (op) {
            case UploadOp.UploadLayer(PersistentLayer layer) -> {
                RemotePath path = RemoteLayout.layer(tenant, timeline, layer.name(), layer.generation());
                client.storage().put(path, ObjectSource.of(layer.path()), layer.fileSize());
                layer.residence().markUploaded(client.downloader(path));
                counters.layerUploads.incrementAndGet();
                counters.uploadedBytes.addAndGet(layer.fileSize());
            }
            case UploadOp.UploadIndex(IndexPart index) -> {
                byte[] bytes = index.encode();
                client.storage().put(RemoteLayout.index(tenant, timeline, generation), ObjectSource.of(bytes), bytes.length);
                counters.indexUploads.incrementAndGet();
                if (index.diskConsistentLsn().compareTo(remoteConsistentLsn) > 0) {
                    remoteConsistentLsn = index.diskConsistentLsn();
                }
            }
            case UploadOp.DeleteRemote(List<RemotePath> paths) -> {
                client.storage().deleteAll(paths);
                counters.deletions.addAndGet(paths.size());
            }
            case UploadOp.DeleteLocal(List<PersistentLayer> layers) -> {
                for (PersistentLayer l : layers) {
                    l.close();
                    Files.deleteIfExists(l.path());
                }
                DurableFiles.fsyncDirectory(dir);
            }
        }
    }

    private static String describe(UploadOp op) {
        return switch (op) {
            case UploadOp.UploadLayer(PersistentLayer layer) -> "upload of layer " + layer.name();
            case UploadOp.UploadIndex(IndexPart index) -> "upload of the index at " + index.diskConsistentLsn();
            case UploadOp.DeleteRemote(List<RemotePath> paths) -> "deletion of " + paths.size() + " remote layers";
            case UploadOp.DeleteLocal(List<PersistentLayer> layers) -> "deletion of " + layers.size() + " local layers";
        };
    }
}
