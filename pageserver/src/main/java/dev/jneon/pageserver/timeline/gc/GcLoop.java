package dev.jneon.pageserver.timeline.gc;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic GC of one tenant (spec D.6, knob {@code gc_period}): a virtual thread that sleeps
 * the current period (read again before every sleep, so a config change applies from the next
 * round), then runs one round. A period of 0 disables the rounds; the loop then looks at the
 * config again every {@link #DISABLED_RECHECK}. A failing round is logged and the loop goes on.
 * Thread-safe: {@link #stop()} may be called from any thread and waits for the loop to end;
 * the stop flag is guarded by a monitor.
 */
public final class GcLoop {

    static final Duration DISABLED_RECHECK = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(GcLoop.class);

    private final Object lock = new Object();
    private final Thread thread;
    private boolean stopped; // guarded by lock

    private GcLoop(String name, Supplier<Duration> period, Runnable round) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> run(name, period, round));
    }

    /** Starts a loop running {@code round} every {@code period}. */
    public static GcLoop start(String name, Supplier<Duration> period, Runnable round) {
        GcLoop loop = new GcLoop(name, period, round);
        loop.thread.start();
        return loop;
    }

    private void run(String name, Supplier<Duration> period, Runnable round) {
        while (true) {
            Duration p = period.get();
            if (!sleep(p.isZero() ? DISABLED_RECHECK : p)) {
                return;
            }
            if (p.isZero()) {
                continue;
            }
            try {
                round.run();
            } catch (RuntimeException e) {
                log.warn("{}: GC round failed", name, e);
            }
        }
    }

    /** Waits {@code d} unless stopped first (no interrupts: they would close file channels a round uses); false once stopped. */
    private boolean sleep(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (lock) {
            while (!stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }

    /** Stops the loop; a round in progress ends first. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
