package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.broker.BrokerEndpoint;
import dev.jneon.common.broker.grpc.BrokerClient;
import dev.jneon.pageserver.tenant.TenantState;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineState;
import dev.jneon.pageserver.walreceiver.grpc.GrpcWalStream;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * One {@link WalReceiver} per Active timeline of every Active tenant shard, when a broker endpoint
 * is configured. A reconciling thread looks at the attached timelines every {@link #RECONCILE}:
 * timelines that appeared (attach, create, import, load at start-up) get a receiver, receivers of
 * timelines that went away or stopped being Active (delete, detach, Broken) are closed. At shutdown
 * every receiver is closed before {@link Tenants} flushes the timelines (this bean depends on it,
 * so Spring destroys it first). Thread-safe: the receiver map is guarded by this object's monitor.
 */
@Component
@EnableConfigurationProperties(WalReceiverProperties.class)
public class WalReceivers {

    private static final Logger log = LoggerFactory.getLogger(WalReceivers.class);
    static final Duration RECONCILE = Duration.ofMillis(500);

    private final Tenants tenants;
    private final WalReceiverConf conf;
    private final WalReceiverMetrics metrics;
    private final BrokerClient broker;
    private final Map<Timeline, WalReceiver> receivers = new IdentityHashMap<>();
    private final Thread reconciler;
    private volatile boolean closed;

    public WalReceivers(Tenants tenants, WalReceiverProperties properties, MeterRegistry registry) {
        this.tenants = tenants;
        this.conf = properties.conf();
        this.metrics = new WalReceiverMetrics(registry);
        if (properties.brokerEndpoint() == null) {
            log.info("no jneon.pageserver.broker-endpoint: timelines receive no WAL from safekeepers");
            this.broker = null;
            this.reconciler = null;
            return;
        }
        this.broker = BrokerClient.connect(BrokerEndpoint.of(properties.brokerEndpoint(), List.of()));
        log.info("WAL receivers use the broker at {} ({})", properties.brokerEndpoint(), conf);
        this.reconciler = Thread.ofVirtual().name("walreceivers").start(this::run);
    }

    public WalReceiverMetrics metrics() {
        return metrics;
    }

    /** The receiver of {@code timeline}, if one runs. */
    public synchronized Optional<WalReceiver> of(Timeline timeline) {
        return Optional.ofNullable(receivers.get(timeline));
    }

    private void run() {
        while (!closed) {
            try {
                reconcile();
                Thread.sleep(RECONCILE);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("WAL receiver reconciliation failed", e);
            }
        }
    }

    private void reconcile() throws InterruptedException {
        Set<Timeline> wanted = tenants.all().stream().filter(t -> t.state() == TenantState.ACTIVE)
                .flatMap(t -> t.timelines().stream()).filter(t -> t.state() == TimelineState.ACTIVE)
                .collect(Collectors.toCollection(() -> java.util.Collections.newSetFromMap(new IdentityHashMap<>())));
        List<WalReceiver> gone = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            receivers.entrySet().removeIf(e -> {
                boolean stale = !wanted.contains(e.getKey());
                if (stale) {
                    gone.add(e.getValue());
                }
                return stale;
            });
            for (Timeline t : wanted) {
                receivers.computeIfAbsent(t, this::startReceiver);
            }
        }
        for (WalReceiver r : gone) {
            log.info("{}: timeline gone or not Active, stopping its WAL receiver", r);
            r.close();
        }
    }

    private WalReceiver startReceiver(Timeline timeline) {
        log.info("{}: starting WAL receiver", timeline);
        return new WalReceiver(timeline, broker, conf, GrpcWalStream::open, metrics, Clock.systemUTC()).start();
    }

    @PreDestroy
    public void close() throws InterruptedException {
        List<WalReceiver> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(receivers.values());
            receivers.clear();
        }
        if (reconciler != null) {
            reconciler.interrupt();
            reconciler.join();
        }
        for (WalReceiver r : all) {
            r.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
