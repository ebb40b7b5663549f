package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The WAL the walproposer holds in memory: a contiguous range {@code [start, end)} of bytes received
 * from Postgres, kept as the chunks they arrived in. Bounded by {@code capacityBytes}: chunks
 * wholly below the quorum commit LSN are evicted when over capacity (safekeepers that still need
 * them read them from a safekeeper that has them, safekeeper-broker.md B.6); if everything held is
 * uncommitted, {@link #append} blocks until the commit LSN moves (backpressure on the replication
 * stream instead of unbounded memory). Thread-safe: guarded by an internal lock.
 */
public final class WalBuffer {

    private record Chunk(Lsn start, byte[] data) {
        Lsn end() {
            return start.plus(data.length);
        }
    }

    private final long capacityBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomAvailable = lock.newCondition();
    private final Deque<Chunk> chunks = new ArrayDeque<>();
    private Lsn start = Lsn.INVALID;
    private Lsn end = Lsn.INVALID;
    private Lsn committed = Lsn.INVALID;
    private long size;

    public WalBuffer(long capacityBytes) {
        if (capacityBytes < ProposerMessage.Append.MAX_SEND_SIZE) {
            throw new IllegalArgumentException("WAL buffer capacity " + capacityBytes + " is below one append");
        }
        this.capacityBytes = capacityBytes;
    }

    /** Empties the buffer; the next append must start at {@code at}. */
    public void reset(Lsn at) {
        lock.lock();
        try {
            chunks.clear();
            start = at;
            end = at;
            size = 0;
            roomAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends {@code data} at {@code at}, which must be the current end. Blocks while the buffer is
     * full of uncommitted WAL, up to {@code timeoutMillis}; returns false on timeout.
     */
    public boolean append(Lsn at, byte[] data, long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            if (!at.equals(end)) {
                throw new IllegalArgumentException("WAL at " + at + " does not continue the buffer ending at " + end);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (size + data.length > capacityBytes && !evictOne()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                roomAvailable.awaitNanos(left);
            }
            if (data.length > 0) {
                chunks.addLast(new Chunk(at, data));
                size += data.length;
                end = at.plus(data.length);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean evictOne() {
        Chunk first = chunks.peekFirst();
        if (first == null || first.end().isAfter(committed)) {
            return false;
        }
        chunks.removeFirst();
        size -= first.data().length;
        start = first.end();
        return true;
    }

    /** WAL up to {@code lsn} is on a quorum and may be evicted. */
    public void committed(Lsn lsn) {
        lock.lock();
        try {
            committed = Lsn.max(committed, lsn);
            roomAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A copy of {@code [from, to)}, or null if any of it is not held. */
    public byte[] read(Lsn from, Lsn to) {
        lock.lock();
        try {
            if (from.isBefore(start) || to.isAfter(end) || to.isBefore(from)) {
                return null;
            }
            byte[] out = new byte[(int) to.minus(from)];
            for (Chunk c : chunks) {
                if (!c.end().isAfter(from) || !c.start().isBefore(to)) {
                    continue;
                }
                Lsn s = Lsn.max(c.start(), from);
                Lsn e = Lsn.min(c.end(), to);
                System.arraycopy(c.data(), (int) s.minus(c.start()), out, (int) s.minus(from), (int) e.minus(s));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public Lsn start() {
        lock.lock();
        try {
            return start;
        } finally {
            lock.unlock();
        }
    }

    public Lsn end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }
}
