package dev.jneon.pageserver.metrics;

import dev.jneon.pageserver.remote.RemoteCounters;
import dev.jneon.pageserver.remote.UploadQueue;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Remote storage metrics at {@code /metrics} (registered only with remote storage configured):
 * {@code pageserver_remote_layer_uploads_total}, {@code pageserver_remote_uploaded_bytes_total},
 * {@code pageserver_remote_index_uploads_total}, {@code pageserver_remote_layer_downloads_total},
 * {@code pageserver_remote_downloaded_bytes_total}, {@code pageserver_remote_deletions_total},
 * {@code pageserver_remote_failed_attempts_total}, {@code pageserver_layer_evictions_total}, the
 * gauge {@code pageserver_remote_upload_queue_length} (all timelines) and
 * {@code pageserver_remote_consistent_lsn_min} (the lowest remote_consistent_lsn of the active
 * timelines, as a number). Thread-safe (reads atomics and snapshots).
 */
@Component
public class RemoteMetrics implements MeterBinder {

    private final Tenants tenants;

    public RemoteMetrics(Tenants tenants) {
        this.tenants = tenants;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        RemoteCounters c = tenants.remote() == null ? null : tenants.remote().counters();
        if (c == null) {
            return;
        }
        counter(registry, c, "pageserver_remote_layer_uploads", "layer files uploaded", RemoteCounters::layerUploads);
        counter(registry, c, "pageserver_remote_uploaded_bytes", "layer bytes uploaded", RemoteCounters::uploadedBytes);
        counter(registry, c, "pageserver_remote_index_uploads", "index_part.json uploads", RemoteCounters::indexUploads);
        counter(registry, c, "pageserver_remote_layer_downloads", "layer files downloaded", RemoteCounters::downloads);
        counter(registry, c, "pageserver_remote_downloaded_bytes", "layer bytes downloaded", RemoteCounters::downloadedBytes);
        counter(registry, c, "pageserver_remote_deletions", "remote objects deleted", RemoteCounters::deletions);
        counter(registry, c, "pageserver_remote_failed_attempts", "remote operations that failed and were retried",
                RemoteCounters::failures);
        counter(registry, c, "pageserver_layer_evictions", "layer files evicted from local disk", RemoteCounters::evictions);
        Gauge.builder("pageserver_remote_upload_queue_length", tenants,
                        t -> timelines(t).map(Timeline::uploads).filter(q -> q != null).mapToInt(UploadQueue::length).sum())
                .description("scheduled remote operations not yet done, all timelines").register(registry);
        Gauge.builder("pageserver_remote_consistent_lsn_min", tenants,
                        t -> timelines(t).mapToLong(tl -> tl.remoteConsistentLsn().value()).min().orElse(0))
                .description("lowest remote_consistent_lsn of the attached timelines").register(registry);
    }

    private static void counter(MeterRegistry registry, RemoteCounters c, String name, String description,
            ToDoubleFunction<RemoteCounters> f) {
        FunctionCounter.builder(name, c, f).description(description).register(registry);
    }

    private static Stream<Timeline> timelines(Tenants tenants) {
        return tenants.all().stream().flatMap(t -> t.timelines().stream());
    }
}
