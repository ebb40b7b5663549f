package dev.jneon.safekeeper.backup;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.safekeeper.peers.Peers;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.TimelineStatus;
import dev.jneon.safekeeper.timeline.Timelines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.jneon.common.remote.ObjectSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offloads WAL to remote storage (spec F.2, F.3), one background thread per safekeeper that visits
 * every timeline each {@code interval}:
 * <ul>
 *   <li>Full segments, by the elected offloader only ({@link OffloaderElection} over the live broker
 *       view, once that view is {@link Peers#isWarm() warm}) and only while backup is required (a
 *       proposer connected, or the commit LSN in a later segment than the backup LSN): segments
 *       {@code [seg(backup_lsn), seg(commit_lsn))} are uploaded in order, one at a time, and after
 *       each the backup LSN moves to the segment's end and is persisted (then published by the
 *       broker publisher, so peers learn it).</li>
 *   <li>The current partial segment, by every safekeeper: when its (term, flush, commit) differ from
 *       the last upload and {@code partialTimeout} has passed since that upload (or since the
 *       timeline was first seen), the bytes from the segment start to the flush LSN are uploaded
 *       under the partial name ({@link RemoteWal}), then this node's older partial objects of the
 *       timeline are deleted, so one stays. A crash between the two leaves an extra object that the
 *       next upload deletes. [jneon] The partial state is kept in memory, not in the control file.</li>
 * </ul>
 * Remote failures (after the storage's own retries) are logged and counted; the next visit tries
 * again. Thread-safe: one thread; the state map is only touched by it.
 */
public final class WalBackup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalBackup.class);

    private record PartialKey(long segno, long term, Lsn flush, Lsn commit) {}

    private record PartialState(PartialKey uploaded, long uploadedNanos) {}

    private final Timelines timelines;
    private final Peers peers;
    private final RemoteWal remote;
    private final NodeId self;
    private final Duration interval;
    private final Duration partialTimeout;
    private final long maxOffloaderLag;
    private final Map<TenantTimelineId, PartialState> partials = new ConcurrentHashMap<>();
    private final Counter segmentsUploaded;
    private final Counter partialUploads;
    private final Counter errors;
    private final Thread thread;
    private volatile boolean stopped;

    public WalBackup(Timelines timelines, Peers peers, RemoteWal remote, NodeId self, Duration interval,
            Duration partialTimeout, long maxOffloaderLag, MeterRegistry registry) {
        this.timelines = timelines;
        this.peers = peers;
        this.remote = remote;
        this.self = self;
        this.interval = interval;
        this.partialTimeout = partialTimeout;
        this.maxOffloaderLag = maxOffloaderLag;
        this.segmentsUploaded = registry.counter("safekeeper.backup.segments.uploaded");
        this.partialUploads = registry.counter("safekeeper.backup.partial.uploads");
        this.errors = registry.counter("safekeeper.backup.errors");
        this.thread = Thread.ofVirtual().name("wal-backup").start(this::run);
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
            TimelineStatus s = t.status();
            int segmentSize = t.segmentSize();
            boolean required = t.hasReceivers()
                    || s.commitLsn().segmentNumber(segmentSize) > s.backupLsn().segmentNumber(segmentSize);
            if (required && isOffloader(t.ttid())) {
                uploadFullSegments(t, s, segmentSize);
            }
            uploadPartial(t, segmentSize);
        } catch (RemoteStorageException e) {
            if (e instanceof RemoteStorageException.Cancelled) {
                return;
            }
            errors.increment();
            log.warn("offloading WAL of timeline {} failed, retrying at the next visit: {}", t.ttid(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (!t.isClosed()) {
                errors.increment();
                log.warn("offloading WAL of timeline {} failed: {}", t.ttid(), e.toString());
            }
        }
    }

    /** Whether this node is the elected offloader of {@code ttid} now (never before the broker view is warm). */
    public boolean isOffloader(TenantTimelineId ttid) {
        return peers.isWarm() && OffloaderElection.elect(ttid.timelineId(), peers.live(ttid), maxOffloaderLag)
                .filter(self::equals).isPresent();
    }

    private void uploadFullSegments(Timeline t, TimelineStatus s, int segmentSize) throws RemoteStorageException {
        long end = s.commitLsn().segmentNumber(segmentSize);
        for (long segno = s.backupLsn().segmentNumber(segmentSize); segno < end && !stopped; segno++) {
            Path file = t.segmentFile(segno);
            if (file == null) {
                log.warn("timeline {}: segment {} is to be offloaded but is not held locally", t.ttid(), segno);
                return;
            }
            remote.uploadSegment(t.ttid(), segno, segmentSize, file);
            segmentsUploaded.increment();
            t.advanceBackupLsn(Lsn.ofSegment(segno + 1, segmentSize));
            log.debug("timeline {}: offloaded segment {}", t.ttid(), segno);
        }
    }

    private void uploadPartial(Timeline t, int segmentSize) throws RemoteStorageException, IOException {
        TimelineStatus s = t.status();
        Lsn flush = s.flushLsn();
        long segno = flush.segmentNumber(segmentSize);
        Lsn segStart = Lsn.ofSegment(segno, segmentSize);
        if (!flush.isAfter(segStart)) {
            return;
        }
        var key = new PartialKey(segno, s.lastLogTerm().value(), flush, s.commitLsn());
        long now = System.nanoTime();
        PartialState state = partials.computeIfAbsent(t.ttid(), k -> new PartialState(null, now));
        if (key.equals(state.uploaded()) || now - state.uploadedNanos() < partialTimeout.toNanos()) {
            return;
        }
        Path file = t.segmentFile(segno);
        if (file == null) {
            return;
        }
        byte[] bytes = new byte[(int) flush.minus(segStart)];
        try (var ch = FileChannel.open(file)) {
            var buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
                // keep reading
            }
            if (buf.hasRemaining()) {
                return;
            }
        } catch (NoSuchFileException renamed) {
            return; // the segment completed meanwhile: the next visit sees the new one
        }
        TimelineStatus after = t.status();
        if (after.lastLogTerm().value() != key.term() || after.flushLsn().isBefore(flush)) {
            return; // truncated by a new term while reading
        }
        var path = RemoteWal.partial(t.ttid(), segno, segmentSize, s.lastLogTerm(), flush, s.commitLsn(), self);
        remote.storage().put(path, ObjectSource.of(bytes), bytes.length);
        partialUploads.increment();
        var stale = remote.partials(t.ttid(), self).stream().filter(p -> !p.equals(path)).toList();
        if (!stale.isEmpty()) {
            remote.storage().deleteAll(stale);
        }
        partials.put(t.ttid(), new PartialState(key, System.nanoTime()));
        log.debug("timeline {}: uploaded partial segment {}", t.ttid(), path);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
