package dev.jneon.compute.prewarm;

import dev.jneon.compute.spec.ComputeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offloading of one compute's buffer list to endpoint storage (spec D.1, D.2) and its
 * {@link OffloadState}: {@code SELECT autoprewarm_dump_now()} makes Postgres write
 * {@code PGDATA/autoprewarm.blocks} (0 buffers ⇒ {@code skipped}); the file is read, checked
 * ({@link PrewarmBlocks#parse}), zstd-compressed and PUT as {@code lfc_state}. On request
 * ({@link #request}, {@code POST /lfc/offload}) or every {@code offload_lfc_interval_seconds}
 * ({@link #startPeriodic}), the latter only while the prewarm state is {@code completed},
 * {@code not_prewarmed} or {@code skipped} (so an interrupted prewarm never overwrites a good saved
 * state). Postgres refuses the dump while its autoprewarm leader holds the file (start-up load,
 * shutdown dump): that offload fails and the next interval tries again. Never fails the compute.
 *
 * <p>Thread-safe: the state is an atomic reference; one offload runs at a time (compare-and-set
 * into {@code offloading}); the periodic thread is started once and interrupted by {@link #close}.
 */
public final class LfcOffload implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LfcOffload.class);

    private final AdminConnection connections;
    private final Path pgdata;
    private final AtomicReference<OffloadState> state = new AtomicReference<>(new OffloadState.NotOffloaded());
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Thread periodic;

    public LfcOffload(AdminConnection connections, Path pgdata) {
        this.connections = connections;
        this.pgdata = pgdata;
    }

    public OffloadState state() {
        return state.get();
    }

    /** Offloads started ({@code compute_ctl_lfc_offloads_total}). */
    public long started() {
        return started.get();
    }

    /** Offloads that ended {@code failed} ({@code compute_ctl_lfc_offload_errors_total}). */
    public long failures() {
        return failures.get();
    }

    /** {@code POST /lfc/offload}: starts an offload on a virtual thread; false (429) if one runs. */
    public boolean request(ComputeSpec spec) {
        OffloadState.Offloading run = claim();
        if (run == null) {
            return false;
        }
        Thread.ofVirtual().name("lfc-offload").start(() -> offload(run, spec));
        return true;
    }

    /**
     * Offloads every {@code interval} on a virtual thread until {@link #close}, skipping a round when
     * an offload runs or {@code prewarm} is not {@code completed}, {@code not_prewarmed} or {@code skipped}.
     */
    public void startPeriodic(Supplier<ComputeSpec> spec, Duration interval, Supplier<PrewarmState> prewarm) {
        periodic = Thread.ofVirtual().name("lfc-offload-periodic").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(interval);
                    boolean settled = switch (prewarm.get()) {
                        case PrewarmState.Completed c -> true;
                        case PrewarmState.NotPrewarmed n -> true;
                        case PrewarmState.Skipped s -> true;
                        case PrewarmState.Prewarming p -> false;
                        case PrewarmState.Failed f -> false;
                        case PrewarmState.Cancelled c -> false;
                    };
                    OffloadState.Offloading run = settled ? claim() : null;
                    if (run != null) {
                        offload(run, spec.get());
                    }
                }
            } catch (InterruptedException e) {
                // close()
            }
        });
    }

    private OffloadState.Offloading claim() {
        var run = new OffloadState.Offloading();
        OffloadState now;
        do {
            now = state.get();
            if (now.busy()) {
                return null;
            }
        } while (!state.compareAndSet(now, run));
        started.incrementAndGet();
        return run;
    }

    private void offload(OffloadState.Offloading run, ComputeSpec spec) {
        try {
            LfcStateStore store = LfcStateStore.of(spec);
            long t0 = System.nanoTime();
            long dumped;
            try (Connection c = connections.open(AdminConnection.DATABASE)) {
                dumped = new SharedBuffers(c).dumpNow();
            }
            if (dumped == 0) {
                state.compareAndSet(run, new OffloadState.Skipped());
                return;
            }
            byte[] text = Files.readAllBytes(pgdata.resolve(PrewarmBlocks.FILE_NAME));
            int entries = PrewarmBlocks.parse(text).size();
            long t1 = System.nanoTime();
            byte[] compressed = LfcStateCodec.compress(text);
            long t2 = System.nanoTime();
            store.put(compressed);
            long t3 = System.nanoTime();
            state.compareAndSet(run, new OffloadState.Completed(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2)));
            log.info("offload: {} blocks saved to endpoint storage ({} bytes compressed)", entries, compressed.length);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            failures.incrementAndGet();
            state.compareAndSet(run, new OffloadState.Failed(message));
            log.warn("offload failed: {}", message);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Stops the periodic offload (an offload in progress finishes on its own). */
    @Override
    public void close() {
        Thread t = periodic;
        if (t != null) {
            t.interrupt();
        }
    }
}
