package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.id.Lsn;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WAL receiver metrics at {@code /metrics}: connections started per reason
 * ({@code pageserver_walreceiver_switches_total{reason}}), WAL bytes received, and per timeline
 * the safekeeper streamed from ({@code pageserver_walreceiver_current_safekeeper}, node id, 0 =
 * none) and how far last_record_lsn is behind the highest commit LSN heard of
 * ({@code pageserver_walreceiver_lag_bytes}). Thread-safe.
 */
public final class WalReceiverMetrics {

    private final MeterRegistry registry;
    private final Counter received;
    private final Map<SwitchReason, Counter> switches = new ConcurrentHashMap<>();
    private final Map<WalReceiver, List<Meter>> gauges = new ConcurrentHashMap<>();

    public WalReceiverMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("pageserver_walreceiver_received_bytes")
                .description("WAL bytes received from safekeepers").baseUnit("bytes").register(registry);
        for (SwitchReason reason : SwitchReason.values()) {
            switches.put(reason, Counter.builder("pageserver_walreceiver_switches")
                    .description("WAL connections started, by reason").tag("reason", reason.neonName()).register(registry));
        }
    }

    void switched(SwitchReason reason) {
        switches.get(reason).increment();
    }

    void received(int bytes) {
        received.increment(bytes);
    }

    /** Total connections started for {@code reason} so far. */
    public double switches(SwitchReason reason) {
        return switches.get(reason).count();
    }

    void register(WalReceiver receiver) {
        Tags tags = Tags.of("tenant_id", receiver.timeline().tenantShardId().toString(),
                "timeline_id", receiver.timeline().timelineId().toString());
        gauges.put(receiver, List.of(
                Gauge.builder("pageserver_walreceiver_current_safekeeper", receiver, r -> r.status().safekeeperId())
                        .description("node id of the safekeeper WAL is streamed from, 0 when none").tags(tags)
                        .register(registry),
                Gauge.builder("pageserver_walreceiver_lag_bytes", receiver, WalReceiverMetrics::lag)
                        .description("bytes between last_record_lsn and the highest commit LSN heard of").baseUnit("bytes")
                        .tags(tags).register(registry)));
    }

    void unregister(WalReceiver receiver) {
        List<Meter> meters = gauges.remove(receiver);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private static double lag(WalReceiver receiver) {
        Lsn highest = receiver.status().highestCommitLsn();
        Lsn last = receiver.timeline().lastRecordLsn();
        return highest.isAfter(last) ? highest.minus(last) : 0;
    }
}
