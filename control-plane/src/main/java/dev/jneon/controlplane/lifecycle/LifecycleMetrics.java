package dev.jneon.controlplane.lifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The lifecycle's Prometheus metrics: {@code control_plane_wakes_total{cold_start_info}},
 * {@code control_plane_cold_start_seconds} (wake or start to {@code running}),
 * {@code control_plane_suspends_total}, {@code control_plane_compute_start_failures_total}.
 * Thread-safe.
 */
final class LifecycleMetrics {

    private final MeterRegistry meters;
    private final Timer coldStarts;
    private final Counter suspends;
    private final Counter startFailures;

    LifecycleMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.coldStarts = Timer.builder("control_plane_cold_start").description("compute start to running")
                .publishPercentileHistogram().register(meters);
        this.suspends = Counter.builder("control_plane_suspends").description("computes suspended").register(meters);
        this.startFailures = Counter.builder("control_plane_compute_start_failures")
                .description("compute starts that did not reach running").register(meters);
    }

    void wake(EndpointLifecycle.ColdStart how) {
        meters.counter("control_plane_wakes", "cold_start_info", how.jsonName()).increment();
    }

    void coldStart(Duration took) {
        coldStarts.record(took);
    }

    void suspended() {
        suspends.increment();
    }

    void startFailed() {
        startFailures.increment();
    }
}
