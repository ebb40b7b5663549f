package dev.jneon.compute.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The current {@link ComputeStatus} of one compute, its error and its {@code last_active} time.
 * Moves only along {@link ComputeStatus#next()}; a refused move throws
 * {@link IllegalTransitionException} and changes nothing. Every change wakes the threads waiting in
 * {@link #await}. Does no I/O.
 *
 * <p>Thread-safe: guarded by one lock that is held only to read or change these fields.
 */
public final class ComputeState {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private ComputeStatus status = ComputeStatus.EMPTY;
    private String error;
    private Instant lastActive;

    /** What {@link ComputeState} holds at one moment. Immutable. */
    public record Snapshot(ComputeStatus status, String error, Instant lastActive) {}

    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(status, error, lastActive);
        } finally {
            lock.unlock();
        }
    }

    public ComputeStatus status() {
        return snapshot().status();
    }

    /** Moves to {@code to}; throws {@link IllegalTransitionException} if not allowed from the current state. */
    public void moveTo(ComputeStatus to) {
        lock.lock();
        try {
            check(to);
            status = to;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Moves to {@code to} only if the current state is {@code from}; returns whether it did. */
    public boolean moveIf(ComputeStatus from, ComputeStatus to) {
        lock.lock();
        try {
            if (status != from) {
                return false;
            }
            check(to);
            status = to;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves to {@code to} if the current state is one of the requests-accepting states (A.4);
     * otherwise returns the state that refused it.
     */
    public Optional<ComputeStatus> moveIfAcceptingRequests(ComputeStatus to) {
        lock.lock();
        try {
            if (!status.acceptsRequests() || !status.canMoveTo(to)) {
                return Optional.of(status);
            }
            status = to;
            changed.signalAll();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Moves to {@link ComputeStatus#FAILED} with {@code reason}, if that is allowed now; returns whether it did. */
    public boolean fail(String reason) {
        lock.lock();
        try {
            if (!status.canMoveTo(ComputeStatus.FAILED)) {
                return false;
            }
            status = ComputeStatus.FAILED;
            error = reason;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Records activity at {@code at}; {@code last_active} only moves forward. */
    public void active(Instant at) {
        lock.lock();
        try {
            if (lastActive == null || at.isAfter(lastActive)) {
                lastActive = at;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the status satisfies {@code until} or {@code timeout} passes; returns the status
     * then (which may not satisfy it on timeout).
     */
    public ComputeStatus await(Predicate<ComputeStatus> until, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!until.test(status) && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return status;
        } finally {
            lock.unlock();
        }
    }

    /** Waits without a bound (for the main thread that lives as long as the compute). */
    public ComputeStatus await(Predicate<ComputeStatus> until) throws InterruptedException {
        lock.lock();
        try {
            while (!until.test(status)) {
                changed.await(1, TimeUnit.SECONDS);
            }
            return status;
        } finally {
            lock.unlock();
        }
    }

    private void check(ComputeStatus to) {
        if (!status.canMoveTo(to)) {
            throw new IllegalTransitionException(status, to);
        }
    }

    /** A move the state machine does not allow. */
    public static final class IllegalTransitionException extends IllegalStateException {
        private final ComputeStatus from;

        IllegalTransitionException(ComputeStatus from, ComputeStatus to) {
            super("compute cannot move from " + from.jsonName() + " to " + to.jsonName());
            this.from = from;
        }

        /** The state that refused the move. */
        public ComputeStatus from() {
            return from;
        }
    }
}
