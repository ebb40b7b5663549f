package dev.jneon.safekeeper.removal;

import dev.jneon.common.id.Lsn;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.TimelineStatus;
import dev.jneon.safekeeper.timeline.Timelines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes local WAL nobody needs from this safekeeper any more (spec F.5), one background thread per
 * safekeeper visiting every timeline each {@code interval}. The horizon is
 * {@code min(remote_consistent_lsn, backup_lsn, commit_lsn, flush_lsn)} (backup_lsn only when WAL is
 * offloaded): below it the pageserver has its layers in remote storage, the WAL is in remote
 * storage too, and every proposer and peer has moved on. Whole segments below the horizon's segment
 * are deleted after local_start_lsn is moved to that segment's start and persisted
 * ({@link Timeline#removeWalBelow}); nothing is removed while a snapshot holds removal. Counts the
 * deleted segments ({@code safekeeper.wal.removed.segments}). Thread-safe: one thread.
 */
public final class WalRemoval implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalRemoval.class);

    private final Timelines timelines;
    private final boolean offloading;
    private final Duration interval;
    private final Counter removed;
    private final Thread thread;
    private volatile boolean stopped;

    public WalRemoval(Timelines timelines, boolean offloading, Duration interval, MeterRegistry registry) {
        this.timelines = timelines;
        this.offloading = offloading;
        this.interval = interval;
        this.removed = registry.counter("safekeeper.wal.removed.segments");
        this.thread = Thread.ofVirtual().name("wal-removal").start(this::run);
    }

    /** The LSN below which {@code s}'s WAL may go. */
    public static Lsn horizon(TimelineStatus s, boolean offloading) {
        Lsn h = Lsn.min(Lsn.min(s.remoteConsistentLsn(), s.commitLsn()), s.flushLsn());
        return offloading ? Lsn.min(h, s.backupLsn()) : h;
    }

    private void run() {
        while (!stopped) {
            timelines.open().forEach(this::visit);
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void visit(Timeline t) {
        try {
            Lsn horizon = horizon(t.status(), offloading);
            if (!horizon.isValid()) {
                return;
            }
            int n = t.removeWalBelow(horizon);
            if (n > 0) {
                removed.increment(n);
                log.info("timeline {}: removed {} WAL segments below {}", t.ttid(), n, horizon);
            }
        } catch (IOException | RuntimeException e) {
            if (!t.isClosed()) {
                log.warn("removing WAL of timeline {} failed: {}", t.ttid(), e.toString());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
