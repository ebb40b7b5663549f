package dev.jneon.proxy.frontend;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection when a phase (handshake and authentication, 15 s by default) runs past its
 * deadline, so a client that stalls or trickles bytes cannot hold a session forever. One shared
 * daemon timer thread; thread-safe.
 */
public final class Deadline implements AutoCloseable {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ScheduledFuture<?> task;
    private volatile boolean expired;

    private Deadline(Closeable target, Duration after) {
        this.task = TIMER.schedule(() -> {
            expired = true;
            try {
                target.close();
            } catch (IOException ignored) {
                // closing is all we can do
            }
        }, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes {@code target} after {@code after} unless {@link #close()} is called first. */
    public static Deadline arm(Closeable target, Duration after) {
        return new Deadline(target, after);
    }

    /** Whether the deadline fired (the failure the caller sees is then a timeout). */
    public boolean expired() {
        return expired;
    }

    /** Disarms the deadline. */
    @Override
    public void close() {
        task.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
        var timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "proxy-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
