package dev.jneon.controlplane.lifecycle;

import dev.jneon.common.service.ApiError;
import dev.jneon.controlplane.compute.ComputeCtlClient;
import dev.jneon.controlplane.compute.ComputeHandle;
import dev.jneon.controlplane.compute.ComputeLauncher;
import dev.jneon.controlplane.compute.ComputeSpecs;
import dev.jneon.controlplane.registry.Branch;
import dev.jneon.controlplane.registry.Endpoint;
import dev.jneon.controlplane.registry.EndpointState;
import dev.jneon.controlplane.registry.Ids;
import dev.jneon.controlplane.registry.Project;
import dev.jneon.controlplane.registry.Registry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, stops and suspends endpoints' computes (spec E.3): {@code idle -> starting -> active ->
 * suspending -> idle}, {@code failed} after a failed start. Every transition of one endpoint runs
 * under that endpoint's lock and is recorded in the {@link Registry} before and after the launcher
 * call, so a wake during a suspend waits for it and then starts again. Wake-ups are single flight: all
 * concurrent wakes of an endpoint share one start. An {@code active} endpoint whose compute is gone
 * or not running is cleaned up and started again by the next wake.
 *
 * <p>Thread-safe: per-endpoint {@link ReentrantLock}s; starts run on virtual threads.
 */
public final class EndpointLifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EndpointLifecycle.class);

    /** How a wake found its compute ({@code cold_start_info} of B.7). */
    public enum ColdStart {
        WARM("warm"), POOL_MISS("pool_miss");

        private final String jsonName;

        ColdStart(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /** An endpoint whose compute runs, and whether this call started it. */
    public record Running(Endpoint endpoint, ColdStart coldStart) {}

    /** A start that failed (compute-ctl failed, exited or timed out). */
    public static final class StartFailed extends RuntimeException {
        public StartFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final Registry registry;
    private final ComputeLauncher launcher;
    private final ComputeCtlClient ctl;
    private final ComputeSpecs specs;
    private final LifecycleMetrics metrics;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Running>> flights = new ConcurrentHashMap<>();
    private final ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor();

    public EndpointLifecycle(Registry registry, ComputeLauncher launcher, ComputeCtlClient ctl, ComputeSpecs specs,
            MeterRegistry meters, Clock clock) {
        this.registry = registry;
        this.launcher = launcher;
        this.ctl = ctl;
        this.specs = specs;
        this.metrics = new LifecycleMetrics(meters);
        this.clock = clock;
    }

    /**
     * The running compute of endpoint {@code id}, started if needed. Concurrent calls share one start;
     * the future fails with {@link StartFailed} or {@link ApiError.NotFound}.
     */
    public CompletableFuture<Running> wake(String id) {
        return flights.computeIfAbsent(id, key -> {
            var flight = new CompletableFuture<Running>();
            starts.execute(() -> {
                try {
                    Running r = ensureRunning(key);
                    metrics.wake(r.coldStart());
                    flight.complete(r);
                } catch (RuntimeException e) {
                    flight.completeExceptionally(e);
                } finally {
                    flights.remove(key, flight);
                }
            });
            return flight;
        });
    }

    /** Starts the compute unless it runs; blocks until it does. */
    public Running start(String id) {
        return wake(id).join();
    }

    /** Stops the endpoint's compute if it has one; the endpoint ends {@code idle}. */
    public void stop(String id) {
        locked(id, () -> {
            Endpoint e = endpoint(id);
            stopCompute(e);
            registry.transition(id, EndpointState.IDLE, null, null, null, null);
            return null;
        });
    }

    /** Stops the endpoint's compute and removes what it left behind; the caller then deletes the endpoint. */
    public void discard(String id) {
        locked(id, () -> {
            Endpoint e = endpoint(id);
            stopCompute(e);
            launcher.discard(id);
            return null;
        });
    }

    /** Suspends an active endpoint now (ignores its timeout); false if it was not active. */
    public boolean suspend(String id) {
        return locked(id, () -> {
            Endpoint e = endpoint(id);
            if (e.state() != EndpointState.ACTIVE) {
                return false;
            }
            suspendLocked(e, "asked to");
            return true;
        });
    }

    /**
     * Sends the endpoint's current spec to its running compute ({@code /configure}): after role,
     * database or setting changes. Does nothing for an endpoint without a running compute.
     */
    public void reconfigure(String id) {
        locked(id, () -> {
            Endpoint e = endpoint(id);
            if (e.state() == EndpointState.ACTIVE && e.pid() != null) {
                ctl.configure(e.computeApi(), config(e));
            }
            return null;
        });
    }

    /**
     * One pass of the scale-to-zero loop over the active endpoints: a compute that died makes its
     * endpoint {@code idle}; one idle for its endpoint's suspend timeout is suspended. Endpoints busy
     * with another transition are skipped until the next pass.
     */
    public void checkActive() {
        for (Endpoint listed : registry.endpoints()) {
            if (listed.state() != EndpointState.ACTIVE) {
                continue;
            }
            ReentrantLock lock = lock(listed.id());
            if (!lock.tryLock()) {
                continue;
            }
            try {
                registry.endpoint(listed.id()).filter(e -> e.state() == EndpointState.ACTIVE)
                        .ifPresent(this::checkLocked);
            } catch (RuntimeException e) {
                log.warn("checking endpoint {} failed: {}", listed.id(), e.toString());
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * After a control-plane restart: endpoints recorded as {@code active} keep their compute if it
     * still runs; every other unfinished transition is cleaned up to {@code idle}.
     */
    public void reconcile() {
        for (Endpoint listed : registry.endpoints()) {
            if (listed.state() == EndpointState.IDLE || listed.state() == EndpointState.FAILED) {
                continue;
            }
            locked(listed.id(), () -> {
                Endpoint e = endpoint(listed.id());
                if (e.state() == EndpointState.ACTIVE && e.pid() != null && launcher.isAlive(handle(e))
                        && ctl.status(e.computeApi()).map(ComputeCtlClient.Status::running).orElse(false)) {
                    log.info("endpoint {}: compute {} (pid {}) still runs", e.id(), e.computeId(), e.pid());
                    return null;
                }
                log.info("endpoint {} was {} without a running compute; now idle", e.id(), e.state().jsonName());
                stopCompute(e);
                registry.transition(e.id(), EndpointState.IDLE, null, null, null, null);
                return null;
            });
        }
    }

    private void checkLocked(Endpoint e) {
        ComputeHandle h = handle(e);
        if (!launcher.isAlive(h)) {
            log.warn("endpoint {}: compute {} (pid {}) is gone; endpoint idle", e.id(), e.computeId(), e.pid());
            launcher.stop(h);
            registry.transition(e.id(), EndpointState.IDLE, null, null, null, "compute exited");
            return;
        }
        var status = ctl.status(e.computeApi());
        if (status.isEmpty()) {
            return;
        }
        var s = status.get();
        if (s.lastActive() != null) {
            registry.touchLastActive(e.id(), s.lastActive());
        }
        if (!s.running()) {
            if (s.status().equals("failed")) {
                log.warn("endpoint {}: compute {} failed ({}); stopping it", e.id(), e.computeId(), s.error());
                launcher.stop(h);
                registry.transition(e.id(), EndpointState.IDLE, null, null, null, "compute failed: " + s.error());
            }
            return;
        }
        // Never before the compute reached running: a slow start is not idle time.
        Instant since = latest(s.activeSince(), e.startedAt());
        if (e.suspendTimeoutSeconds() > 0 && since != null
                && !Duration.between(since, clock.instant()).minusSeconds(e.suspendTimeoutSeconds()).isNegative()) {
            suspendLocked(e, "idle since " + since);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isAfter(b) ? a : b;
    }

    private void suspendLocked(Endpoint e, String why) {
        log.info("suspending endpoint {} ({})", e.id(), why);
        registry.transition(e.id(), EndpointState.SUSPENDING, null, e.pid(), e.startedAt(), null);
        stopCompute(e);
        registry.transition(e.id(), EndpointState.IDLE, null, null, null, null);
        metrics.suspended();
    }

    private Running ensureRunning(String id) {
        return locked(id, () -> {
            Endpoint e = endpoint(id);
            if (e.disabled()) {
                throw new ApiError.PreconditionFailed("endpoint " + id + " is disabled");
            }
            if (e.state() == EndpointState.ACTIVE && e.pid() != null && launcher.isAlive(handle(e))
                    && ctl.status(e.computeApi()).map(ComputeCtlClient.Status::running).orElse(false)) {
                return new Running(e, ColdStart.WARM);
            }
            if (e.state() == EndpointState.ACTIVE) {
                log.warn("endpoint {}: compute {} is not running any more; starting a new one", id, e.computeId());
            }
            stopCompute(e);
            return startLocked(e);
        });
    }

    private Running startLocked(Endpoint e) {
        String computeId = Ids.generate("compute");
        registry.transition(e.id(), EndpointState.STARTING, computeId, null, null, null);
        long t0 = System.nanoTime();
        try {
            ComputeHandle h = launcher.start(e, computeId, config(e));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            registry.transition(e.id(), EndpointState.ACTIVE, computeId, h.pid(), clock.instant(), null);
            metrics.coldStart(took);
            log.info("endpoint {}: compute {} running at {} (pid {}) after {} ms", e.id(), computeId,
                    e.address(), h.pid(), took.toMillis());
            return new Running(endpoint(e.id()), ColdStart.POOL_MISS);
        } catch (RuntimeException failure) {
            metrics.startFailed();
            registry.transition(e.id(), EndpointState.FAILED, computeId, null, null, failure.getMessage());
            log.error("endpoint {}: compute {} did not start: {}", e.id(), computeId, failure.getMessage());
            throw new StartFailed("compute of endpoint " + e.id() + " did not start: " + failure.getMessage());
        }
    }

    private void stopCompute(Endpoint e) {
        if (e.pid() != null || e.state() != EndpointState.IDLE) {
            launcher.stop(handle(e));
        }
    }

    private Map<String, Object> config(Endpoint e) {
        Project project = registry.project(e.projectId()).orElseThrow();
        Branch branch = registry.branch(e.branchId()).orElseThrow();
        return specs.config(project, branch, e, registry.roles(branch.id()), registry.databases(branch.id()));
    }

    private static ComputeHandle handle(Endpoint e) {
        return new ComputeHandle(e.id(), e.computeId(), e.pid() == null ? -1 : e.pid(), e.host(), e.pgPort(),
                e.httpPort());
    }

    private Endpoint endpoint(String id) {
        return registry.endpoint(id).orElseThrow(() -> new ApiError.NotFound("endpoint " + id + " not found"));
    }

    private ReentrantLock lock(String id) {
        return locks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    private <T> T locked(String id, java.util.function.Supplier<T> action) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        starts.shutdownNow();
    }
}
