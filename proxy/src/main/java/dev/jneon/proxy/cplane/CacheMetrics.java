package dev.jneon.proxy.cplane;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters of one control-plane cache: {@code proxy_cache_requests_total{cache, outcome}} with outcomes
 * {@code hit}, {@code miss} and {@code spurious_hit} (a cached compute address that turned out to be stale).
 * Thread-safe.
 */
final class CacheMetrics {

    private final Counter hits;
    private final Counter misses;
    private final Counter spuriousHits;

    CacheMetrics(MeterRegistry registry, String cache) {
        hits = counter(registry, cache, "hit");
        misses = counter(registry, cache, "miss");
        spuriousHits = counter(registry, cache, "spurious_hit");
    }

    private static Counter counter(MeterRegistry registry, String cache, String outcome) {
        return Counter.builder("proxy.cache.requests").description("control-plane cache lookups by outcome")
                .tag("cache", cache).tag("outcome", outcome).register(registry);
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void spuriousHit() {
        spuriousHits.increment();
    }
}
