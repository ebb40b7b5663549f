package dev.jneon.pageserver.remote;

import dev.jneon.pageserver.config.EvictionProperties;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The node-wide disk budget for layer files ({@code jneon.pageserver.eviction.max-resident-bytes},
 * spec D.7): every {@code period}, when the resident layer files of all timelines exceed the
 * budget, the least recently read layers already in remote storage are evicted until they fit.
 * Layers not uploaded yet are never evicted, nor are L0 deltas (L0 compaction reads them as files
 * and they are replaced soon anyway), so the budget can be exceeded while uploads lag.
 * Off (no thread) without a budget or without remote storage. Thread-safe: one virtual thread
 * does the work; {@link #enforce()} may also be called directly.
 */
@Component
public final class DiskBudgetEviction {

    private static final Logger log = LoggerFactory.getLogger(DiskBudgetEviction.class);

    private final Tenants tenants;
    private final EvictionProperties properties;
    private final Thread thread;

    public DiskBudgetEviction(Tenants tenants, EvictionProperties properties) {
        this.tenants = tenants;
        this.properties = properties;
        if (properties.maxResidentBytes() == null || tenants.remote() == null) {
            this.thread = null;
            return;
        }
        log.info("layer files are evicted beyond {} resident bytes", properties.maxResidentBytes());
        this.thread = Thread.ofVirtual().name("disk-budget-eviction").start(this::run);
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(properties.period());
                enforce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("disk budget eviction failed, trying again in {}: {}", properties.period(), e.toString());
            }
        }
    }

    /** One pass; returns the number of layers evicted. */
    public synchronized int enforce() {
        long budget = properties.maxResidentBytes();
        List<PersistentLayer> resident = new ArrayList<>();
        long total = 0;
        for (TenantShard tenant : tenants.all()) {
            for (Timeline t : tenant.timelines()) {
                for (PersistentLayer l : t.layers().historic()) {
                    if (l.residence().isResident()) {
                        total += l.fileSize();
                        if (!l.name().isL0()) {
                            resident.add(l);
                        }
                    }
                }
            }
        }
        if (total <= budget) {
            return 0;
        }
        resident.sort(Comparator.comparingLong(l -> l.residence().lastAccessNanos()));
        int evicted = 0;
        for (PersistentLayer l : resident) {
            if (total <= budget) {
                break;
            }
            if (l.residence().evict()) {
                total -= l.fileSize();
                evicted++;
                tenants.remote().counters().evicted();
            }
        }
        log.info("disk budget: evicted {} layers, {} bytes resident of at most {}", evicted, total, budget);
        return evicted;
    }

    @PreDestroy
    public void stop() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
