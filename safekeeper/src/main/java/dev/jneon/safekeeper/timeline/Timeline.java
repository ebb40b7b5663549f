package dev.jneon.safekeeper.timeline;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.acceptor.Acceptor;
import dev.jneon.safekeeper.acceptor.AcceptorMessage;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AppendResponse;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.HotStandbyFeedback;
import dev.jneon.safekeeper.acceptor.PageserverFeedback;
import dev.jneon.safekeeper.acceptor.ProposerMessage;
import dev.jneon.safekeeper.acceptor.Term;
import dev.jneon.safekeeper.control.FileControlFileStore;
import dev.jneon.safekeeper.timeline.TimelineStatus.WalConsumer;
import dev.jneon.safekeeper.timeline.TimelineStatus.WalReceiver;
import dev.jneon.safekeeper.wal.SegmentedWalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One timeline held by this safekeeper: its {@link Acceptor} over the control file and the on-disk
 * WAL in {@code <data>/<tenant_id>/<timeline_id>/}, plus who is connected. Proposer messages are
 * processed one at a time under {@link #lock} (which is also held across the WAL fsync of
 * {@link #flush()}, so a flush LSN is never reported before it is durable); readers wait on
 * {@link #progressed} for the flush or commit LSN to move and read WAL bytes without the lock.
 *
 * <p>WAL removal ({@link #removeWalBelow}) runs under the lock too and is held off while a snapshot
 * copies the segments ({@link #holdRemoval}).
 *
 * <p>Thread-safe: acceptor state guarded by {@code lock}; connection maps are concurrent.
 */
public final class Timeline {

    private final TenantTimelineId ttid;
    private final Path dir;
    private final SegmentedWalStore wal;
    private final Acceptor acceptor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private final Map<Long, WalConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<Long, WalReceiver> receivers = new ConcurrentHashMap<>();
    private final AtomicInteger removalHolds = new AtomicInteger();
    private volatile boolean closed;

    private Timeline(TenantTimelineId ttid, Path dir, SegmentedWalStore wal, Acceptor acceptor) {
        this.ttid = ttid;
        this.dir = dir;
        this.wal = wal;
        this.acceptor = acceptor;
    }

    /** Loads the timeline in {@code dir}: control file, then the WAL scan from its commit LSN (D.3). */
    public static Timeline load(NodeId node, Path dir) throws IOException {
        AcceptorState state = FileControlFileStore.load(dir);
        SegmentedWalStore wal = SegmentedWalStore.open(dir, state.server().walSegSize(), state.commitLsn());
        if (wal.flushLsn().isValid() && wal.flushLsn().isBefore(state.commitLsn())) {
            throw new IOException("WAL in " + dir + " ends at " + wal.flushLsn() + ", below commit_lsn " + state.commitLsn());
        }
        return new Timeline(state.ttid(), dir, wal, new Acceptor(node, state, new FileControlFileStore(dir), wal));
    }

    public TenantTimelineId ttid() {
        return ttid;
    }

    public Path dir() {
        return dir;
    }

    /** Handles one proposer message under the lock (see {@link Acceptor#process}). */
    public Optional<AcceptorMessage> process(ProposerMessage message) throws IOException {
        lock.lock();
        try {
            checkOpen();
            Optional<AcceptorMessage> reply = acceptor.process(message);
            progressed.signalAll();
            return reply;
        } finally {
            lock.unlock();
        }
    }

    /** fsyncs written WAL and returns the AppendResponse for the appends since the last flush. */
    public AppendResponse flush() {
        lock.lock();
        try {
            checkOpen();
            AppendResponse response = acceptor.flush();
            progressed.signalAll();
            return response;
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("timeline " + ttid + " is shut down or deleted");
        }
    }

    /**
     * The end of WAL a reader may get: commit LSN, or, with {@code term}, the flush LSN while the
     * timeline's term equals it (empty once it differs).
     */
    public Optional<Lsn> sendableEnd(Optional<Term> term) {
        lock.lock();
        try {
            return endLocked(term);
        } finally {
            lock.unlock();
        }
    }

    private Optional<Lsn> endLocked(Optional<Term> term) {
        if (term.isEmpty()) {
            return Optional.of(acceptor.commitLsn());
        }
        return acceptor.term().equals(term.get()) ? Optional.of(acceptor.flushLsn()) : Optional.empty();
    }

    /** Waits up to {@code timeout} until the sendable end passes {@code pos} (or the term changes). */
    public void awaitBeyond(Lsn pos, Optional<Term> term, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (nanos > 0 && !closed) {
                Optional<Lsn> end = endLocked(term);
                if (end.isEmpty() || end.get().isAfter(pos)) {
                    return;
                }
                nanos = progressed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reads WAL below the flush LSN without the lock; 0 if not held locally. */
    public int read(Lsn from, byte[] dst, int off, int len) throws IOException {
        return wal.read(from, dst, off, len);
    }

    public void recordPageserverFeedback(PageserverFeedback feedback) {
        lock.lock();
        try {
            acceptor.recordPageserverFeedback(feedback);
        } finally {
            lock.unlock();
        }
    }

    public void recordHotStandbyFeedback(HotStandbyFeedback feedback) {
        lock.lock();
        try {
            acceptor.recordHotStandbyFeedback(feedback);
        } finally {
            lock.unlock();
        }
    }

    /** Raises backup_lsn after an upload (persisted at once). */
    public void advanceBackupLsn(Lsn lsn) {
        lock.lock();
        try {
            checkOpen();
            acceptor.advanceBackupLsn(lsn);
        } finally {
            lock.unlock();
        }
    }

    /** Raises backup, remote consistent and peer horizon LSNs to what a peer published. */
    public void learnFromPeer(Lsn backup, Lsn remoteConsistent, Lsn peerHorizon) {
        lock.lock();
        try {
            acceptor.learnFromPeer(backup, remoteConsistent, peerHorizon);
        } finally {
            lock.unlock();
        }
    }

    public int segmentSize() {
        return acceptor.state().server().walSegSize();
    }

    /** The local file of segment {@code segno}, or null when it is not held (removed, or not yet written). */
    public Path segmentFile(long segno) {
        return wal.segmentFile(segno);
    }

    /** Segment numbers held locally, ascending. */
    public List<Long> localSegments() throws IOException {
        return wal.segments();
    }

    /**
     * Keeps WAL removal off until the returned handle is closed (a snapshot is being copied). Several
     * holds may overlap.
     */
    public AutoCloseable holdRemoval() {
        removalHolds.incrementAndGet();
        return removalHolds::decrementAndGet;
    }

    /**
     * Deletes the local segments wholly below {@code horizon}'s segment, after moving local_start_lsn
     * to that segment's start and persisting it; nothing while a removal hold is open. Returns the
     * number of segment files deleted.
     */
    public int removeWalBelow(Lsn horizon) throws IOException {
        lock.lock();
        try {
            checkOpen();
            if (removalHolds.get() > 0) {
                return 0;
            }
            int segmentSize = segmentSize();
            long target = horizon.segmentNumber(segmentSize);
            Lsn newStart = Lsn.ofSegment(target, segmentSize);
            if (newStart.isAfter(acceptor.state().localStartLsn())) {
                acceptor.advanceLocalStart(newStart);
            }
            return wal.removeBelow(target);
        } finally {
            lock.unlock();
        }
    }

    /** Persists the in-memory progress LSNs and returns the control-file state (for a snapshot). */
    public AcceptorState persistedState() {
        lock.lock();
        try {
            checkOpen();
            acceptor.persistProgress();
            return acceptor.state();
        } finally {
            lock.unlock();
        }
    }

    public void putConsumer(WalConsumer consumer) {
        consumers.put(consumer.connId(), consumer);
    }

    public void removeConsumer(long connId) {
        consumers.remove(connId);
    }

    public void putReceiver(WalReceiver receiver) {
        receivers.put(receiver.connId(), receiver);
    }

    public void removeReceiver(long connId) {
        receivers.remove(connId);
    }

    public boolean hasReceivers() {
        return !receivers.isEmpty();
    }

    public TimelineStatus status() {
        lock.lock();
        try {
            return new TimelineStatus(acceptor.state(), acceptor.term(), acceptor.lastLogTerm(), acceptor.flushLsn(),
                    acceptor.commitLsn(), acceptor.backupLsn(), acceptor.peerHorizonLsn(),
                    acceptor.remoteConsistentLsn(), List.copyOf(consumers.values()), List.copyOf(receivers.values()));
        } finally {
            lock.unlock();
        }
    }

    /** Persists lazily kept progress, closes the WAL and refuses further use; wakes waiting readers. */
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            acceptor.flush();
            acceptor.persistProgress();
            wal.close();
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
