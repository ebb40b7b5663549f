package dev.jneon.pageserver.metrics;

import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Storage gauges at {@code /metrics}, computed when scraped: attached tenant shards, timelines,
 * layer files and their bytes, in-memory layers (open and frozen). Thread-safe (reads snapshots).
 */
@Component
public class StorageMetrics implements MeterBinder {

    private final Tenants tenants;

    public StorageMetrics(Tenants tenants) {
        this.tenants = tenants;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("pageserver_tenant_shards", tenants, t -> t.all().size())
                .description("tenant shards attached to this pageserver").register(registry);
        Gauge.builder("pageserver_timelines", tenants, t -> timelines(t).count())
                .description("timelines of attached tenant shards").register(registry);
        Gauge.builder("pageserver_layer_files", tenants, t -> timelines(t).mapToLong(tl -> tl.layers().historic().size()).sum())
                .description("layer files on local disk").register(registry);
        Gauge.builder("pageserver_layer_bytes", tenants, t -> t.all().stream().mapToLong(TenantShard::physicalSize).sum())
                .description("bytes of layer files on local disk").baseUnit("bytes").register(registry);
        Gauge.builder("pageserver_in_memory_layers", tenants, t -> timelines(t)
                        .mapToLong(tl -> tl.layers().frozen().size() + (tl.layers().open() == null ? 0 : 1)).sum())
                .description("open and frozen in-memory layers").register(registry);
    }

    private static java.util.stream.Stream<Timeline> timelines(Tenants tenants) {
        return tenants.all().stream().flatMap(t -> t.timelines().stream());
    }
}
