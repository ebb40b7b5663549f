package dev.jneon.safekeeper.grpc;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data plane's Micrometer meters (exported at {@code /metrics} as {@code safekeeper_*}): WalPush
 * and StreamWal connections, WAL bytes appended and sent, group-fsync latency, calls ended by error
 * (tagged with the gRPC status code). Thread-safe (Micrometer meters are).
 */
public final class WalMetrics {

    private final MeterRegistry registry;
    final AtomicInteger activeWalPush = new AtomicInteger();
    final AtomicInteger activeStreamWal = new AtomicInteger();
    final Counter appendedBytes;
    final Counter sentBytes;
    final Counter remoteReadBytes;
    final Timer flush;

    public WalMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("safekeeper.walpush.active", activeWalPush);
        registry.gauge("safekeeper.streamwal.active", activeStreamWal);
        appendedBytes = Counter.builder("safekeeper.wal.appended").baseUnit("bytes")
                .description("WAL bytes received in AppendRequests").register(registry);
        sentBytes = Counter.builder("safekeeper.wal.sent").baseUnit("bytes")
                .description("WAL bytes sent on StreamWal").register(registry);
        remoteReadBytes = Counter.builder("safekeeper.wal.remote.read").baseUnit("bytes")
                .description("offloaded WAL bytes read back from remote storage for StreamWal").register(registry);
        flush = Timer.builder("safekeeper.wal.flush").description("group fsync of WAL and the AppendResponse")
                .register(registry);
    }

    void callFailed(String rpc, Status status) {
        registry.counter("safekeeper.grpc.errors", "rpc", rpc, "code", status.getCode().name()).increment();
    }
}
