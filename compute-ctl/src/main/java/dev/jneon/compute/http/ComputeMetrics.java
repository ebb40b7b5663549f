package dev.jneon.compute.http;

import dev.jneon.compute.node.ComputeNode;
import dev.jneon.compute.state.ComputeStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * compute_ctl's Prometheus metrics (spec A.13, those that apply): {@code compute_ctl_up{build_tag,
 * status}} (1 for the current status, 0 for the others), {@code compute_pg_current_downtime_ms} and
 * {@code compute_pg_downtime_ms_total} from the activity monitor's failed checks. Read on scrape
 * from the thread-safe {@link ComputeNode}. Stateless.
 */
public final class ComputeMetrics {

    private ComputeMetrics() {
    }

    public static void register(MeterRegistry registry, ComputeNode node, String buildTag) {
        for (ComputeStatus s : ComputeStatus.values()) {
            Gauge.builder("compute_ctl_up", node, n -> n.state().status() == s ? 1 : 0)
                    .description("1 for the compute's current status").tag("build_tag", buildTag)
                    .tag("status", s.metricLabel()).register(registry);
        }
        Gauge.builder("compute_pg_current_downtime_ms", node, n -> n.downtime().currentMillis())
                .description("ms since Postgres activity checks started failing, 0 when they succeed")
                .register(registry);
        FunctionCounter.builder("compute_pg_downtime_ms", node, n -> n.downtime().totalMillis())
                .description("total ms of failed Postgres activity checks").register(registry);
    }
}
