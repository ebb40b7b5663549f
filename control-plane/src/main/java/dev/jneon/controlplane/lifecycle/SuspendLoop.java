package dev.jneon.controlplane.lifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link EndpointLifecycle#checkActive()} every {@code interval} on one daemon thread, from
 * {@link #start()} until {@link #close()} (which waits for a pass in progress). Thread-safe.
 */
public final class SuspendLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SuspendLoop.class);

    private final EndpointLifecycle lifecycle;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "suspend-loop");
        t.setDaemon(true);
        return t;
    });

    public SuspendLoop(EndpointLifecycle lifecycle, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("jneon.control-plane.suspend.check-interval must be positive");
        }
        this.lifecycle = lifecycle;
        this.interval = interval;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::pass, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pass() {
        try {
            lifecycle.checkActive();
        } catch (RuntimeException e) {
            log.warn("suspend check failed: {}", e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
