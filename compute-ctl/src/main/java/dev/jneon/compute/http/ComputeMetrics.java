package dev.jneon.compute.http;

import dev.jneon.compute.node.ComputeNode;
import dev.jneon.compute.state.ComputeStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * compute_ctl's Prometheus metrics (spec A.13, those that apply): {@code compute_ctl_up{build_tag,
 * status}} (1 for the current status, 0 for the others), {@code compute_pg_current_downtime_ms} and
 * {@code compute_pg_downtime_ms_total} from the activity monitor's failed checks,
 * {@code compute_ctl_lfc_{prewarms,prewarm_errors,offloads,offload_errors}_total}. Read on scrape
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
        FunctionCounter.builder("compute_ctl_lfc_prewarms", node, n -> n.prewarm().started())
                .description("prewarms started").register(registry);
        FunctionCounter.builder("compute_ctl_lfc_prewarm_errors", node, n -> n.prewarm().failures())
                .description("prewarms that failed").register(registry);
        FunctionCounter.builder("compute_ctl_lfc_offloads", node, n -> n.offload().started())
                .description("offloads started").register(registry);
        FunctionCounter.builder("compute_ctl_lfc_offload_errors", node, n -> n.offload().failures())
                .description("offloads that failed").register(registry);
    }
}
