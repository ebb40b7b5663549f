package dev.jneon.proxy.cplane;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * Wake answers by node-cache key ({@link NeonOptions#cacheKey}), B.8. An address stays while it is used: its idle
 * TTL restarts on every hit. A failed wake is remembered only if {@link ControlPlaneError#cacheTtl} allows, for
 * that long, and a hit on it rethrows it. Every lookup or store hands out a {@link CachedNode} whose token
 * invalidates exactly that entry ({@code asMap().remove(key, entry)}, entries compare by identity): a stale
 * connection failure never removes an address stored after it. Bounded by entry count. Thread-safe.
 */
public final class NodeInfoCache {

    /** A wake answer plus the token of its cache entry. */
    public record CachedNode(NodeInfo node, boolean fromCache, String key, Object entry) {
    }

    /** One stored answer: a node or an error, with its time to live. Identity matters; no equals. */
    private static final class Entry {
        final NodeInfo node;
        final ControlPlaneError error;
        final long ttlNanos;

        Entry(NodeInfo node, ControlPlaneError error, Duration ttl) {
            this.node = node;
            this.error = error;
            this.ttlNanos = ttl.toNanos();
        }
    }

    private final Cache<String, Entry> cache;
    private final Duration idleTtl;
    private final CacheMetrics metrics;

    public NodeInfoCache(long size, Duration idleTtl, Ticker ticker, MeterRegistry registry) {
        long idle = idleTtl.toNanos();
        this.cache = Caffeine.newBuilder().maximumSize(size).ticker(ticker).executor(Runnable::run)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry e, long now) {
                        return e.ttlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry e, long now, long current) {
                        return e.ttlNanos;
                    }

                    @Override
                    public long expireAfterRead(String key, Entry e, long now, long current) {
                        return e.node != null ? idle : current;
                    }
                }).build();
        this.idleTtl = idleTtl;
        this.metrics = new CacheMetrics(registry, "node_info");
    }

    /** The cached answer for {@code key}: a node, a rethrown cached error, or empty on a miss. */
    public Optional<CachedNode> lookup(String key) throws ControlPlaneError {
        return lookup(key, true);
    }

    /** {@link #lookup} without counting: the double check after waiting for a wake in flight. */
    Optional<CachedNode> peek(String key) throws ControlPlaneError {
        return lookup(key, false);
    }

    private Optional<CachedNode> lookup(String key, boolean count) throws ControlPlaneError {
        Entry e = cache.getIfPresent(key);
        if (e == null) {
            if (count) {
                metrics.miss();
            }
            return Optional.empty();
        }
        if (count) {
            metrics.hit();
        }
        if (e.error != null) {
            throw e.error;
        }
        return Optional.of(new CachedNode(e.node.fromCache(), true, key, e));
    }

    /** Stores a fresh wake answer; returns it with its token. */
    public CachedNode store(String key, NodeInfo node) {
        Entry e = new Entry(node, null, idleTtl);
        cache.put(key, e);
        return new CachedNode(node, false, key, e);
    }

    /** Remembers a failed wake if the error may be cached. */
    public void storeError(String key, ControlPlaneError error) {
        error.cacheTtl().ifPresent(ttl -> cache.put(key, new Entry(null, error, ttl)));
    }

    /**
     * Forgets the entry {@code node} came from, if it is still the current one; returns whether it was removed.
     * Call on a wake-worthy connect or compute-auth failure (B.9); a cached node counts as a spurious hit.
     */
    public boolean invalidate(CachedNode node) {
        if (node.fromCache()) {
            metrics.spuriousHit();
        }
        return cache.asMap().remove(node.key(), node.entry());
    }

    /** Drops every entry of {@code endpoint} (all option variants), e.g. on a control-plane push. */
    public void invalidateEndpoint(EndpointId endpoint) {
        String prefix = endpoint.value() + " ";
        cache.asMap().keySet().removeIf(k -> k.equals(endpoint.value()) || k.startsWith(prefix));
    }
}
