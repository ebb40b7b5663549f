package dev.jneon.pageserver.timeline.flush;

import dev.jneon.pageserver.layer.InMemoryLayer;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineState;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background task of one timeline that writes frozen in-memory layers to disk, oldest first
 * (spec D.2.4-5), runs L0 compaction and image layer creation after a flush when due (D.5), and freezes the
 * open layer when checkpoint_timeout passes. Runs on one virtual
 * thread; a write error is fail-stop (the timeline becomes Broken, nothing is retried).
 *
 * <p>Thread-safe: {@link #wake()} and the waits may be called from any thread; state is guarded by
 * this object's monitor.
 */
public final class LayerFlusher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LayerFlusher.class);
    private static final Duration MAX_TICK = Duration.ofSeconds(1);

    private final Timeline timeline;
    private Thread thread;
    private boolean running;
    private boolean busy;

    public LayerFlusher(Timeline timeline) {
        this.timeline = timeline;
    }

    public synchronized void start() {
        if (thread == null) {
            running = true;
            thread = Thread.ofVirtual().name("flush-" + timeline.timelineId()).start(this::run);
        }
    }

    public synchronized void wake() {
        notifyAll();
    }

    /**
     * Waits until at most {@code count} frozen layers remain (or the timeline breaks or stops).
     * Without a running flusher it returns at once.
     */
    public void awaitFrozenAtMost(int count) {
        synchronized (this) {
            try {
                while (running && timeline.layers().frozen().size() > count && timeline.state() == TimelineState.ACTIVE) {
                    wait(MAX_TICK.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a flush of " + timeline, e);
            }
        }
    }

    /** Waits until no frozen layer is left and no flush, compaction or image creation is running. */
    public void awaitIdle() {
        synchronized (this) {
            try {
                while (running && (busy || !timeline.layers().frozen().isEmpty()) && timeline.state() == TimelineState.ACTIVE) {
                    wait(MAX_TICK.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the flusher of " + timeline, e);
            }
        }
    }

    private synchronized void setBusy(boolean value) {
        busy = value;
        notifyAll();
    }

    private void run() {
        try {
            while (isRunning()) {
                List<InMemoryLayer> frozen = timeline.layers().frozen();
                if (!frozen.isEmpty()) {
                    setBusy(true);
                    InMemoryLayer oldest = frozen.getFirst();
                    PersistentLayer written = FrozenLayerWrite.write(oldest, timeline.dir(), timeline.generation(),
                            timeline.tenantShardId(), timeline.timelineId(), timeline.initdbLsn());
                    timeline.completeFlush(oldest, List.of(written));
                    log.debug("{}: flushed {} as {}", timeline, oldest, written.name());
                    wake();
                    if (timeline.compactLevel0()) {
                        log.info("{}: compacted L0 layers", timeline);
                    }
                    if (timeline.createImageLayerIfDue()) {
                        log.info("{}: created an image layer", timeline);
                    }
                    setBusy(false);
                    continue;
                }
                timeline.freezeIfDue(false);
                synchronized (this) {
                    if (running && timeline.layers().frozen().isEmpty()) {
                        Duration timeout = timeline.conf().checkpointTimeout();
                        wait(Math.max(1, Math.min(MAX_TICK.toMillis(), timeout.toMillis())));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{}: flush failed, timeline is now Broken", timeline, e);
            timeline.markBroken("layer flush failed: " + e.getMessage());
            synchronized (this) {
                running = false;
                busy = false;
                notifyAll();
            }
        }
    }

    private synchronized boolean isRunning() {
        return running;
    }

    /** Stops the task and joins it; a flush in progress completes first. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            notifyAll();
            t = thread;
        }
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
