package dev.jneon.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy's Prometheus metrics (B.15), named as Neon's with the {@code proxy_} prefix:
 * {@code proxy_opened/closed_client_connections_total}, {@code proxy_opened/closed_db_connections_total},
 * {@code proxy_errors_total{type}}, {@code proxy_connection_failures_total{kind}},
 * {@code proxy_cancellation_requests_total{kind}}, {@code proxy_tls_handshake_failures_total},
 * {@code proxy_accepted_connections_by_sni_total{kind}}, {@code proxy_io_bytes_total{direction}},
 * {@code proxy_compute_connection_latency_seconds}, {@code proxy_auth_failures_total} and
 * {@code proxy_service_info{state}} (1 while running, 0 once terminating). Thread-safe (Micrometer).
 */
public final class ProxyMetrics {

    /** Error kinds of {@code proxy_errors_total}. */
    public enum ErrorType { USER, CLIENTDISCONNECT, RATELIMIT, CONTROLPLANE, POSTGRES, COMPUTE, SERVICE }

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger(1);

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("proxy.service.info", running, AtomicInteger::get).tag("state", "running").register(registry);
        Gauge.builder("proxy.service.info", running, r -> 1 - r.get()).tag("state", "terminating")
                .register(registry);
    }

    public void terminating() {
        running.set(0);
    }

    public void clientOpened() {
        registry.counter("proxy.opened.client.connections").increment();
    }

    public void clientClosed() {
        registry.counter("proxy.closed.client.connections").increment();
    }

    public void dbOpened(Duration latency) {
        registry.counter("proxy.opened.db.connections").increment();
        Timer.builder("proxy.compute.connection.latency").register(registry).record(latency);
    }

    public void dbClosed() {
        registry.counter("proxy.closed.db.connections").increment();
    }

    public void error(ErrorType type) {
        registry.counter("proxy.errors", "type", type.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    public void authFailure() {
        registry.counter("proxy.auth.failures").increment();
    }

    /** @param cached whether the failed address came from the node cache ({@code compute_cached}) */
    public void connectionFailure(boolean cached) {
        registry.counter("proxy.connection.failures", "kind", cached ? "compute_cached" : "compute_uncached")
                .increment();
    }

    /** @param kind {@code found}, {@code not_found} or {@code rate_limited} */
    public void cancelRequest(String kind) {
        registry.counter("proxy.cancellation.requests", "kind", kind).increment();
    }

    public void tlsHandshakeFailure() {
        registry.counter("proxy.tls.handshake.failures").increment();
    }

    /** @param kind {@code sni}, {@code no_sni} (TLS without a served name) or {@code password_hack} */
    public void acceptedBySni(String kind) {
        registry.counter("proxy.accepted.connections.by.sni", "kind", kind).increment();
    }

    public void ioBytes(long toCompute, long toClient) {
        registry.counter("proxy.io.bytes", "direction", "tx").increment(toClient);
        registry.counter("proxy.io.bytes", "direction", "rx").increment(toCompute);
    }
}
