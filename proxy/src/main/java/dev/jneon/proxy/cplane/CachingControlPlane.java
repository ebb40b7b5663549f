package dev.jneon.proxy.cplane;

import dev.jneon.proxy.cplane.NodeInfoCache.CachedNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy's front ends call (B.8, B.9 step 1, B.12): a {@link ControlPlane} behind the two caches.
 * {@link #accessControl} answers from the project-info cache or asks the control plane. {@link #wakeCompute}
 * answers from the node cache; on a miss one caller per key (single flight, the others wait for its answer)
 * checks the cache again, then calls wake through the wake rate limiter, retrying retriable errors with
 * {@link RetryPolicy#WAKE} backoff; the answer or a cacheable error is stored. A failed connect to a node calls
 * {@link #invalidate}. Thread-safe.
 */
public final class CachingControlPlane {

    private static final Logger log = LoggerFactory.getLogger(CachingControlPlane.class);

    private final ControlPlane backend;
    private final NodeInfoCache nodes;
    private final ProjectInfoCache projects;
    private final WakeRateLimiter wakeLimiter;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper sleeper;
    private final ConcurrentHashMap<String, CompletableFuture<CachedNode>> inFlight = new ConcurrentHashMap<>();

    public CachingControlPlane(ControlPlane backend, NodeInfoCache nodes, ProjectInfoCache projects,
            WakeRateLimiter wakeLimiter, RetryPolicy retry, RetryPolicy.Sleeper sleeper) {
        this.backend = backend;
        this.nodes = nodes;
        this.projects = projects;
        this.wakeLimiter = wakeLimiter;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    public NodeInfoCache nodeCache() {
        return nodes;
    }

    public ProjectInfoCache projectCache() {
        return projects;
    }

    /** The role's secret and the endpoint's rules, cached (B.5 step 2). */
    public EndpointAccess accessControl(EndpointId endpoint, String role, CallContext context)
            throws ControlPlaneError {
        Optional<EndpointAccess> cached = projects.lookup(endpoint, role);
        if (cached.isPresent()) {
            return cached.get();
        }
        try {
            EndpointAccess access = backend.accessControl(endpoint, role, context);
            projects.store(endpoint, role, access);
            return access;
        } catch (ControlPlaneError e) {
            projects.storeError(endpoint, role, e);
            throw e;
        }
    }

    /** Where the endpoint's compute listens, from the cache or a (retried) wake call. */
    public CachedNode wakeCompute(EndpointId endpoint, NeonOptions options, CallContext context)
            throws ControlPlaneError {
        String key = options.cacheKey(endpoint);
        Optional<CachedNode> cached = nodes.lookup(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        var mine = new CompletableFuture<CachedNode>();
        CompletableFuture<CachedNode> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            CachedNode node = nodes.peek(key).orElse(null);
            if (node == null) {
                node = wakeWithRetry(endpoint, options, context, key);
            }
            mine.complete(node);
            return node;
        } catch (ControlPlaneError | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Forgets the cache entry {@code node} came from unless a newer one replaced it (B.8). */
    public boolean invalidate(CachedNode node) {
        boolean removed = nodes.invalidate(node);
        log.info("invalidated cached compute {} for {} (removed: {})", node.node().address(), node.key(), removed);
        return removed;
    }

    private CachedNode wakeWithRetry(EndpointId endpoint, NeonOptions options, CallContext context, String key)
            throws ControlPlaneError {
        for (int attempt = 0; ; attempt++) {
            try {
                if (!wakeLimiter.tryAcquire(endpoint.normalized())) {
                    throw ControlPlaneError.rateLimited();
                }
                long start = System.nanoTime();
                NodeInfo node = backend.wakeCompute(endpoint, options, context);
                log.info("woke compute for {} at {} ({}, {} ms)", key, node.address(), node.aux().coldStart(),
                        (System.nanoTime() - start) / 1_000_000);
                return nodes.store(key, node);
            } catch (ControlPlaneError e) {
                if (!e.isRetriable() || attempt >= retry.maxRetries()) {
                    nodes.storeError(key, e);
                    throw e;
                }
                log.info("wake_compute for {} failed (attempt {}), retrying: {}", key, attempt + 1, e.getMessage());
                try {
                    sleeper.sleep(retry.delay(attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static CachedNode await(CompletableFuture<CachedNode> running) throws ControlPlaneError {
        try {
            return running.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ControlPlaneError error) {
                throw error;
            }
            throw new IllegalStateException("wake failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ControlPlaneError.transport("interrupted while waiting for a wake", false);
        }
    }
}
