package dev.jneon.compute.prewarm;

import dev.jneon.compute.spec.ComputeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prewarming of one compute (spec D.1, D.2) and its {@link PrewarmState}. Two ways:
 * <ul>
 * <li>At start-up ({@code autoprewarm}): {@link #beginStartup} downloads and decodes the saved
 *     state while the basebackup runs; {@link #writeStartupFile} writes it as
 *     {@code PGDATA/autoprewarm.blocks} after the untar (its {@link PrewarmBlocks#loadable()}
 *     entries); Postgres' autoprewarm leader loads it and
 *     logs {@code autoprewarm successfully prewarmed P of N previously-loaded blocks}, which
 *     {@link #onPostgresLog} turns into {@code completed}. No saved state ⇒ {@code skipped}; Postgres
 *     stopping first ⇒ {@code cancelled}; no line in {@value #LEADER_TIMEOUT_MINUTES} minutes ⇒
 *     {@code failed}.</li>
 * <li>On request ({@link #request}, {@code POST /lfc/prewarm}): download, decode, and load through
 *     {@link SharedBuffers} on a virtual thread.</li>
 * </ul>
 * {@link #cancel} ({@code DELETE /lfc/prewarm}) stops either. Nothing here ever fails the compute:
 * every error ends as {@code failed{error}}.
 *
 * <p>Thread-safe: the state is an atomic reference; each run owns its {@link PrewarmState.Prewarming}
 * instance and may only end that instance (compare-and-set on identity), so a cancelled or
 * superseded run cannot overwrite a newer state.
 */
public final class LfcPrewarm {

    static final int LEADER_TIMEOUT_MINUTES = 10;
    static final Pattern LEADER_DONE =
            Pattern.compile("autoprewarm successfully prewarmed (\\d+) of (\\d+) previously-loaded blocks");

    private static final Logger log = LoggerFactory.getLogger(LfcPrewarm.class);

    private final AdminConnection connections;
    private final AtomicReference<PrewarmState> state = new AtomicReference<>(new PrewarmState.NotPrewarmed());
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile LeaderRun leader;
    private volatile SharedBuffers loading;

    public LfcPrewarm(AdminConnection connections) {
        this.connections = connections;
    }

    public PrewarmState state() {
        return state.get();
    }

    /** Prewarms started ({@code compute_ctl_lfc_prewarms_total}). */
    public long started() {
        return started.get();
    }

    /** Prewarms that ended {@code failed} ({@code compute_ctl_lfc_prewarm_errors_total}). */
    public long failures() {
        return failures.get();
    }

    /** A decoded saved state and what getting it took. */
    record Fetched(PrewarmBlocks blocks, long downloadMs, long uncompressMs) {}

    /** A start-up prewarm whose download runs; hand it to {@link #writeStartupFile}. */
    public record StartupDownload(PrewarmState.Prewarming run, CompletableFuture<Optional<Fetched>> fetched) {}

    /** The start-up leader's load in progress, known once its file is written. */
    private record LeaderRun(PrewarmState.Prewarming run, Fetched fetched, long sinceNanos) {}

    /** Moves to {@code prewarming} and starts downloading the spec's saved state on a virtual thread. */
    public StartupDownload beginStartup(ComputeSpec spec) {
        var run = new PrewarmState.Prewarming();
        state.set(run);
        started.incrementAndGet();
        var fetched = new CompletableFuture<Optional<Fetched>>();
        Thread.ofVirtual().name("lfc-prewarm-download").start(() -> {
            try {
                fetched.complete(fetch(spec, null));
            } catch (Exception e) {
                fetched.completeExceptionally(e);
            }
        });
        return new StartupDownload(run, fetched);
    }

    /**
     * Waits for the download and writes {@code pgdata/autoprewarm.blocks} if there is a saved state
     * (else {@code skipped}, or {@code failed} on a download or format error, and no file).
     */
    public void writeStartupFile(StartupDownload download, Path pgdata) throws InterruptedException {
        PrewarmState.Prewarming run = download.run();
        Fetched f;
        try {
            Optional<Fetched> got = download.fetched().get();
            if (got.isEmpty()) {
                end(run, new PrewarmState.Skipped());
                return;
            }
            f = got.get();
        } catch (ExecutionException e) {
            fail(run, e.getCause());
            return;
        }
        if (f.blocks().size() == 0) {
            end(run, new PrewarmState.Completed(0, 0, 0, f.downloadMs(), f.uncompressMs(), 0));
            return;
        }
        PrewarmBlocks loadable = f.blocks().loadable();
        try {
            Files.write(pgdata.resolve(PrewarmBlocks.FILE_NAME), loadable.format());
        } catch (IOException e) {
            fail(run, e);
            return;
        }
        awaitLeader(run, f);
        log.info("prewarm: {} of {} saved blocks written to {} for Postgres' autoprewarm leader", loadable.size(),
                f.blocks().size(), PrewarmBlocks.FILE_NAME);
    }

    /** From now on {@link #onPostgresLog} looks for the leader's result, which ends {@code run}. */
    void awaitLeader(PrewarmState.Prewarming run, Fetched fetched) {
        leader = new LeaderRun(run, fetched, System.nanoTime());
    }

    /** Postgres runs: the leader has {@value #LEADER_TIMEOUT_MINUTES} minutes to report. */
    public void postgresStarted() {
        LeaderRun run = leader;
        if (run != null) {
            CompletableFuture.delayedExecutor(LEADER_TIMEOUT_MINUTES, TimeUnit.MINUTES).execute(() -> end(run.run(),
                    new PrewarmState.Failed("Postgres' autoprewarm leader reported nothing in "
                            + LEADER_TIMEOUT_MINUTES + " minutes")));
        }
    }

    /** Every line Postgres prints; the leader's result ends the start-up prewarm. */
    public void onPostgresLog(String line) {
        LeaderRun run = leader;
        if (run == null || !line.contains("autoprewarm")) {
            return;
        }
        Matcher m = LEADER_DONE.matcher(line);
        if (m.find()) {
            long prewarmed = Long.parseLong(m.group(1));
            long total = run.fetched().blocks().size(); // the map forks were left out of the file
            leader = null;
            end(run.run(), new PrewarmState.Completed(total, prewarmed, total - prewarmed, run.fetched().downloadMs(),
                    run.fetched().uncompressMs(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.sinceNanos())));
        }
    }

    /** Postgres stopped: a prewarm in progress is {@code cancelled}. */
    public void postgresStopped() {
        PrewarmState now = state.get();
        if (now instanceof PrewarmState.Prewarming run) {
            cancel(run);
        }
    }

    /** {@code POST /lfc/prewarm}: starts an on-demand prewarm; false (429) if one runs. */
    public boolean request(ComputeSpec spec, String fromEndpoint) {
        if (fromEndpoint != null) {
            LfcStateStore.checkedEndpoint(fromEndpoint);
        }
        var run = new PrewarmState.Prewarming();
        PrewarmState now;
        do {
            now = state.get();
            if (now.busy()) {
                return false;
            }
        } while (!state.compareAndSet(now, run));
        started.incrementAndGet();
        Thread.ofVirtual().name("lfc-prewarm").start(() -> onDemand(run, spec, fromEndpoint));
        return true;
    }

    private void onDemand(PrewarmState.Prewarming run, ComputeSpec spec, String fromEndpoint) {
        try {
            Optional<Fetched> got = fetch(spec, fromEndpoint);
            if (got.isEmpty()) {
                end(run, new PrewarmState.Skipped());
                return;
            }
            Fetched f = got.get();
            long t = System.nanoTime();
            try (Connection c = connections.open(AdminConnection.DATABASE)) {
                var buffers = new SharedBuffers(c);
                loading = buffers;
                if (state.get() != run) {
                    return; // cancelled while downloading
                }
                SharedBuffers.Loaded loaded = buffers.load(f.blocks());
                end(run, new PrewarmState.Completed(loaded.total(), loaded.prewarmed(), loaded.skipped(), f.downloadMs(),
                        f.uncompressMs(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)));
                log.info("prewarm: loaded {} of {} blocks", loaded.prewarmed(), loaded.total());
            } finally {
                loading = null;
            }
        } catch (SharedBuffers.Cancelled e) {
            end(run, new PrewarmState.Cancelled());
        } catch (Exception e) {
            fail(run, e);
        }
    }

    /** {@code DELETE /lfc/prewarm}: cancels the prewarm in progress, if any. */
    public void cancel() {
        if (state.get() instanceof PrewarmState.Prewarming run) {
            cancel(run);
        }
    }

    private void cancel(PrewarmState.Prewarming run) {
        if (!end(run, new PrewarmState.Cancelled())) {
            return;
        }
        SharedBuffers buffers = loading;
        if (buffers != null) {
            buffers.cancel();
        }
        LeaderRun l = leader;
        if (l != null && l.run() == run) {
            leader = null;
            terminateLeader();
        }
    }

    /** Stops Postgres' autoprewarm leader and workers (they exit cleanly on SIGTERM). */
    private void terminateLeader() {
        try (Connection c = connections.open(AdminConnection.DATABASE); Statement st = c.createStatement()) {
            st.execute("SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity"
                    + " WHERE backend_type IN ('autoprewarm leader', 'autoprewarm worker')");
        } catch (Exception e) {
            log.info("prewarm: could not stop the autoprewarm workers: {}", e.getMessage());
        }
    }

    private Optional<Fetched> fetch(ComputeSpec spec, String fromEndpoint) throws IOException, InterruptedException {
        LfcStateStore store = LfcStateStore.of(spec);
        long t0 = System.nanoTime();
        Optional<byte[]> object = store.get(fromEndpoint);
        long t1 = System.nanoTime();
        if (object.isEmpty()) {
            log.info("prewarm: no saved state in endpoint storage");
            return Optional.empty();
        }
        PrewarmBlocks blocks = LfcStateCodec.decode(object.get());
        long t2 = System.nanoTime();
        return Optional.of(new Fetched(blocks, TimeUnit.NANOSECONDS.toMillis(t1 - t0),
                TimeUnit.NANOSECONDS.toMillis(t2 - t1)));
    }

    private void fail(PrewarmState.Prewarming run, Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (end(run, new PrewarmState.Failed(message))) {
            failures.incrementAndGet();
            log.warn("prewarm failed: {}", message);
        }
    }

    /** Ends {@code run} with {@code result} unless something else ended it first. */
    private boolean end(PrewarmState.Prewarming run, PrewarmState result) {
        return state.compareAndSet(run, result);
    }
}
