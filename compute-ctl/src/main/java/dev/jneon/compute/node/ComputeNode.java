package dev.jneon.compute.node;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgVersionId;
import dev.jneon.compute.postgres.ActivityMonitor;
import dev.jneon.compute.postgres.PostgresProcess;
import dev.jneon.compute.postgres.SpecApplier;
import dev.jneon.compute.prewarm.AdminConnection;
import dev.jneon.compute.prewarm.LfcOffload;
import dev.jneon.compute.prewarm.LfcPrewarm;
import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.state.ComputeState;
import dev.jneon.compute.state.ComputeStatus;
import dev.jneon.compute.walproposer.SyncSafekeepers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compute's life (spec A.4-A.10): takes a spec at start or from {@code /configure}, runs
 * {@link ComputeStartup}, watches Postgres and the walproposer (either dying moves the compute to
 * {@code failed} and stops the other: DESIGN D2 never lets Postgres run crash recovery), keeps
 * {@code last_active} through an {@link ActivityMonitor}, reconfigures a running compute and
 * terminates it; prewarms and offloads its buffer list ({@link LfcPrewarm}, {@link LfcOffload}, spec D),
 * which never fails it. {@link #ended()} completes with the exit code compute-ctl should end with: 0 after
 * termination, Postgres' exit code if it exited on its own, 1 after a failed start or a walproposer
 * failure, each {@code linger} after the end (so the control plane can still read {@code /status}).
 *
 * <p>Thread-safe: the state machine guards the lifecycle (only one request can move it at a time);
 * the running parts are published through volatile fields; no lock is held across I/O.
 */
public final class ComputeNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComputeNode.class);

    private final ComputeOptions options;
    private final ComputeState state = new ComputeState();
    private final Map<String, Long> timings = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private final Path socketDir;
    private final Instant created = Instant.now();
    private volatile Instant startTime = created;
    private volatile ComputeSpec spec;
    private volatile PostgresProcess postgres;
    private volatile WalProposerTask walproposer;
    private volatile ActivityMonitor monitor;
    private volatile Lsn terminateLsn;
    private volatile boolean closing;
    private final LfcPrewarm prewarm;
    private final LfcOffload offload;

    public ComputeNode(ComputeOptions options) throws IOException {
        this.options = options;
        this.socketDir = Files.createTempDirectory("jneon-compute-sock");
        AdminConnection admin = db -> new SpecApplier(options.port(), options.privilegedRole()).connect(db);
        this.prewarm = new LfcPrewarm(admin);
        this.offload = new LfcOffload(admin, options.pgdata());
    }

    /** Prewarm state and counters ({@code GET /lfc/prewarm}, metrics). */
    public LfcPrewarm prewarm() {
        return prewarm;
    }

    /** Offload state and counters ({@code GET /lfc/offload}, metrics). */
    public LfcOffload offload() {
        return offload;
    }

    /**
     * {@code POST /lfc/prewarm[?from_endpoint=]}: false if a prewarm runs (429).
     *
     * @throws RequestRefused 412 unless {@code running}; 400 for a bad endpoint id
     */
    public boolean requestPrewarm(String fromEndpoint) {
        ComputeSpec s = runningSpec();
        try {
            return prewarm.request(s, fromEndpoint);
        } catch (IllegalArgumentException e) {
            throw new RequestRefused(400, e.getMessage());
        }
    }

    /**
     * {@code POST /lfc/offload}: false if an offload runs (429).
     *
     * @throws RequestRefused 412 unless {@code running}
     */
    public boolean requestOffload() {
        return offload.request(runningSpec());
    }

    private ComputeSpec runningSpec() {
        ComputeStatus now = state.status();
        ComputeSpec s = spec;
        if (now != ComputeStatus.RUNNING || s == null) {
            throw new RequestRefused(412, "invalid compute status: " + now.jsonName());
        }
        return s;
    }

    /** What {@code GET /status} shows. Immutable. */
    public record Status(Instant startTime, ComputeSpec spec, ComputeState.Snapshot state) {}

    public Status status() {
        return new Status(startTime, spec, state.snapshot());
    }

    public ComputeState state() {
        return state;
    }

    public ComputeOptions options() {
        return options;
    }

    /** Startup timings and sizes for {@code /metrics.json}. */
    public Map<String, Long> timings() {
        return Map.copyOf(timings);
    }

    /** Activity-check downtime, zero before the first {@code running}. */
    public ActivityMonitor.Downtime downtime() {
        ActivityMonitor m = monitor;
        return m == null ? new ActivityMonitor.Downtime(0, 0) : m.downtime();
    }

    /** Completes with the process exit code once the compute has ended and lingered. */
    public CompletableFuture<Integer> ended() {
        return ended;
    }

    /** The spec was given at start ({@code --config}): {@code empty -> init}, start on a new thread. */
    public void startWith(ComputeSpec given) {
        state.moveTo(ComputeStatus.INIT);
        spec = given;
        Thread.ofVirtual().name("compute-startup").start(() -> startup(given, ComputeStatus.INIT));
    }

    /**
     * {@code POST /configure}: from {@code empty}, starts the compute with {@code given}
     * ({@code configuration_pending -> configuration -> running}); from {@code running}, reconfigures
     * (A.8; tenant, timeline and mode may not change). Returns once running or failed.
     *
     * @throws RequestRefused if the state does not accept it or the spec changes what it may not
     */
    public ComputeState.Snapshot configure(ComputeSpec given) throws InterruptedException {
        ComputeSpec current = spec;
        if (current != null && (!current.ttid().equals(given.ttid()) || !current.mode().equals(given.mode()))) {
            throw new RequestRefused(400, "a running compute cannot change tenant, timeline or mode");
        }
        var refused = state.moveIfAcceptingRequests(ComputeStatus.CONFIGURATION_PENDING);
        if (refused.isPresent()) {
            throw new RequestRefused(412, "invalid compute status: " + refused.get().jsonName());
        }
        boolean first = current == null;
        if (first) {
            timings.put("wait_for_spec_ms", Duration.between(created, Instant.now()).toMillis());
            startTime = Instant.now();
        }
        spec = given;
        state.moveTo(ComputeStatus.CONFIGURATION);
        if (first) {
            startup(given, ComputeStatus.CONFIGURATION);
        } else {
            reconfigure(given);
        }
        return state.snapshot();
    }

    private void startup(ComputeSpec given, ComputeStatus from) {
        try {
            var started = new ComputeStartup(options, socketDir, timings, prewarm).run(given, this::watch);
            walproposer = started.walproposer();
            if (walproposer != null) {
                walproposer.stopped().thenAccept(this::walproposerStopped);
            }
            if (!state.moveIf(from, ComputeStatus.RUNNING)) {
                log.warn("compute left {} during start-up: now {}", from.jsonName(), state.status().jsonName());
                return;
            }
            monitor = new ActivityMonitor(new SpecApplier(options.port(), options.privilegedRole()), state::active);
            if (given.offloadLfcIntervalSeconds() != null) {
                offload.startPeriodic(() -> spec, Duration.ofSeconds(given.offloadLfcIntervalSeconds()), prewarm::state);
            }
            log.info("compute {} is running at {}", options.computeId(), started.startLsn());
        } catch (Exception | Error e) {
            log.error("compute start-up failed", e);
            prewarm.postgresStopped();
            if (state.fail("start-up failed: " + e.getMessage())) {
                end(1);
            }
        }
    }

    private void reconfigure(ComputeSpec given) {
        try {
            new ComputeStartup(options, socketDir, timings, prewarm).writeConfig(given);
            postgres.reload();
            if (given.isPrimary() && !given.skipPgCatalogUpdates()) {
                new SpecApplier(options.port(), options.privilegedRole()).apply(given);
            }
            state.moveIf(ComputeStatus.CONFIGURATION, ComputeStatus.RUNNING);
        } catch (Exception e) {
            log.error("reconfiguration failed; Postgres keeps running", e);
            state.fail("compute configuration failed: " + e.getMessage());
        }
    }

    private void watch(PostgresProcess pg) {
        postgres = pg;
        pg.exited().thenAccept(code -> {
            prewarm.postgresStopped();
            offload.close();
            if (closing || state.status().isTerminating()) {
                return;
            }
            String reason = "postgres exited with code " + code;
            log.error(reason);
            state.fail(reason);
            stopQuietly();
            end(code);
        });
    }

    private void walproposerStopped(String reason) {
        if (reason == null || closing || state.status().isTerminating()) {
            log.info("walproposer ended: {}", reason == null ? "stopped" : reason);
            return;
        }
        PostgresProcess pg = postgres;
        if (pg != null && postgresExitsWithin(pg, Duration.ofSeconds(2))) {
            return; // its replication connection ended because Postgres died: watch() reports that cause
        }
        log.error("walproposer stopped: {}", reason);
        state.fail("walproposer stopped: " + reason);
        stopQuietly(); // D2: Postgres must not go on without its synchronous standby
        end(1);
    }

    private static boolean postgresExitsWithin(PostgresProcess pg, Duration wait) {
        try {
            pg.exited().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code POST /terminate?mode=fast|immediate} (A.9): stops Postgres, then the walproposer; on a
     * primary syncs the safekeepers once more and returns the agreed end of WAL (null otherwise).
     *
     * @throws RequestRefused 412 unless {@code empty} or {@code running}
     */
    public Termination terminate(boolean immediate) throws InterruptedException {
        ComputeStatus pending = immediate ? ComputeStatus.TERMINATION_PENDING_IMMEDIATE
                : ComputeStatus.TERMINATION_PENDING_FAST;
        if (state.status() == ComputeStatus.TERMINATED) {
            return new Termination(terminateLsn, true);
        }
        var refused = state.moveIfAcceptingRequests(pending);
        if (refused.isPresent()) {
            throw new RequestRefused(412, "invalid compute status: " + refused.get().jsonName());
        }
        closeMonitor();
        PostgresProcess pg = postgres;
        if (pg != null) {
            pg.stop(immediate ? "immediate" : "fast");
        }
        WalProposerTask wp = walproposer;
        if (wp != null) {
            wp.stop();
        }
        ComputeSpec s = spec;
        if (pg != null && s != null && s.isPrimary()) {
            try {
                terminateLsn = SyncSafekeepers.run(s.ttid(), s.safekeepers(), PgVersionId.of(options.binaries().version()),
                        ComputeStartup.WAL_SEG_SIZE, ComputeStartup.SYNC_TIMEOUT);
            } catch (Exception e) {
                log.warn("sync-safekeepers after termination failed: {}", e.getMessage());
            }
        }
        state.moveTo(ComputeStatus.TERMINATED);
        log.info("compute {} terminated, end of WAL {}", options.computeId(), terminateLsn);
        end(0, immediate ? Duration.ofMillis(300) : options.linger());
        return new Termination(terminateLsn, false);
    }

    /** The answer to {@code /terminate}: the final LSN (null if none) and whether it was terminated before. */
    public record Termination(Lsn lsn, boolean already) {}

    /** A request the compute's state or spec does not allow; {@code httpStatus} is 400 or 412. */
    public static final class RequestRefused extends RuntimeException {
        private final int httpStatus;

        public RequestRefused(int httpStatus, String message) {
            super(message, null, false, false);
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private void end(int code) {
        end(code, options.linger());
    }

    private void end(int code, Duration after) {
        CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS).execute(() -> ended.complete(code));
    }

    private void closeMonitor() throws InterruptedException {
        ActivityMonitor m = monitor;
        if (m != null) {
            m.close();
        }
    }

    /** Stops whatever runs, Postgres first with SIGQUIT; used on failures. */
    private void stopQuietly() {
        try {
            closeMonitor();
            PostgresProcess pg = postgres;
            if (pg != null && pg.isAlive()) {
                pg.stop("immediate");
            }
            WalProposerTask wp = walproposer;
            if (wp != null && wp.isRunning()) {
                wp.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** JVM shutdown (SIGTERM): fast shutdown of Postgres, then the walproposer; removes the socket dir. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        offload.close();
        closeMonitor();
        PostgresProcess pg = postgres;
        if (pg != null && pg.isAlive()) {
            log.info("stopping Postgres (fast) on shutdown");
            pg.stop("fast");
        }
        WalProposerTask wp = walproposer;
        if (wp != null && wp.isRunning()) {
            wp.stop();
        }
        try (var left = Files.list(socketDir)) { // a killed postmaster leaves its socket and lock file
            for (Path p : (Iterable<Path>) left::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(socketDir);
        } catch (IOException e) {
            log.debug("socket dir {} left behind: {}", socketDir, e.getMessage());
        }
    }
}
