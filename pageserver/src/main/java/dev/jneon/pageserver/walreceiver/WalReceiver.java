package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.broker.Backoff;
import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.BrokerUnavailableException;
import dev.jneon.common.broker.MessageFilter;
import dev.jneon.common.broker.MessageType;
import dev.jneon.common.broker.SafekeeperDiscoveryRequest;
import dev.jneon.common.broker.SafekeeperDiscoveryResponse;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.broker.grpc.BrokerClient;
import dev.jneon.common.broker.grpc.BrokerSubscription;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL receiver of one timeline (spec pageserver.md I.1): subscribes to the broker for the
 * timeline's safekeeper reports (timeline infos and discovery responses), and every
 * {@link #TICK} lets {@link SafekeeperChoice} decide whether to (re)connect; a switch stops the
 * running {@link WalConnection} before the next one starts, so the timeline has one writer.
 * With no connection and no candidate it publishes a discovery request at most once per
 * lagging_wal_timeout.
 *
 * <p>Thread-safety: the choice and the connection are guarded by this object's monitor; the
 * broker thread, the connection thread and the decision thread call in; never held while a
 * connection is stopped. Status fields for the API and metrics are volatile.
 */
public final class WalReceiver implements AutoCloseable, WalConnection.Events {

    private static final Logger log = LoggerFactory.getLogger(WalReceiver.class);
    static final Duration TICK = Duration.ofMillis(100);
    private static final Backoff BROKER_BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(15));

    /** What the receiver is doing, for the timeline API and metrics. */
    public record Status(String walSourceConnstr, long safekeeperId, Lsn lastReceivedLsn, Instant lastReceivedAt,
            Lsn highestCommitLsn) {}

    private final Timeline timeline;
    private final TenantTimelineId ttid;
    private final BrokerClient broker;
    private final WalStream.Opener opener;
    private final WalReceiverMetrics metrics;
    private final Clock clock;
    private final SafekeeperChoice choice;
    private final Thread decider;
    private volatile boolean closed;
    private volatile Status status = new Status(null, 0, Lsn.INVALID, null, Lsn.INVALID);
    private BrokerSubscription subscription;
    private WalConnection connection;

    public WalReceiver(Timeline timeline, BrokerClient broker, WalReceiverConf conf, WalStream.Opener opener,
            WalReceiverMetrics metrics, Clock clock) {
        this.timeline = timeline;
        this.ttid = new TenantTimelineId(timeline.tenantShardId().tenantId(), timeline.timelineId());
        this.broker = broker;
        this.opener = opener;
        this.metrics = metrics;
        this.clock = clock;
        this.choice = new SafekeeperChoice(conf, clock);
        this.decider = Thread.ofVirtual().name("walreceiver-" + timeline.timelineId()).unstarted(this::run);
    }

    /** Subscribes to the broker and starts deciding. */
    public WalReceiver start() {
        subscription = broker.subscribe(new MessageFilter(Set.of(MessageType.SAFEKEEPER_TIMELINE_INFO,
                MessageType.SAFEKEEPER_DISCOVERY_RESPONSE), Optional.of(ttid)), BROKER_BACKOFF, this::onBroker);
        metrics.register(this);
        decider.start();
        return this;
    }

    public Timeline timeline() {
        return timeline;
    }

    public Status status() {
        return status;
    }

    private void onBroker(BrokerMessage message) {
        switch (message) {
            case SafekeeperTimelineInfo info -> heard(info.safekeeperId(), info.commitLsn(), info.safekeeperConnstr());
            case SafekeeperDiscoveryResponse r -> heard(r.safekeeperId(), r.commitLsn(), r.safekeeperConnstr());
            case SafekeeperDiscoveryRequest ignored -> { }
        }
    }

    private synchronized void heard(dev.jneon.common.id.NodeId id, Lsn commitLsn, String connstr) {
        choice.heard(id, commitLsn, connstr);
    }

    private void run() {
        while (!closed) {
            try {
                step();
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("{}: WAL receiver step failed", timeline, e);
            }
        }
    }

    private void step() throws InterruptedException {
        if (timeline.state() != TimelineState.ACTIVE) {
            return;
        }
        Optional<SafekeeperChoice.Switch> decision;
        WalConnection old;
        boolean discover;
        synchronized (this) {
            decision = choice.decide(timeline.lastRecordLsn());
            discover = choice.discoveryDue();
            old = connection;
            Status s = status;
            status = new Status(s.walSourceConnstr(), s.safekeeperId(), s.lastReceivedLsn(), s.lastReceivedAt(),
                    choice.highestCommitLsn());
        }
        if (discover) {
            try {
                broker.publishOne(new SafekeeperDiscoveryRequest(ttid));
            } catch (BrokerUnavailableException e) {
                log.debug("{}: discovery request not published: {}", timeline, e.getMessage());
            }
        }
        if (decision.isEmpty()) {
            return;
        }
        SafekeeperChoice.Switch to = decision.get();
        if (old != null) {
            old.stop();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            log.info("{}: streaming WAL from safekeeper {} ({}) from {}: {}", timeline, to.safekeeper(), to.connstr(),
                    timeline.lastRecordLsn(), to.reason().neonName());
            choice.started(to.safekeeper());
            connection = new WalConnection(timeline, to.safekeeper(), to.connstr(), opener, this, clock);
            Status s = status;
            status = new Status(to.connstr(), to.safekeeper().value(), s.lastReceivedLsn(), s.lastReceivedAt(),
                    s.highestCommitLsn());
            metrics.switched(to.reason());
            connection.start();
        }
    }

    @Override
    public synchronized void connected(WalConnection c) {
        if (c == connection) {
            choice.connected();
        }
    }

    @Override
    public synchronized void walReceived(WalConnection c, Lsn streamingLsn, Lsn commitLsn, int bytes) {
        metrics.received(bytes);
        if (c == connection) {
            choice.walReceived(streamingLsn, commitLsn);
            Status s = status;
            status = new Status(s.walSourceConnstr(), s.safekeeperId(), streamingLsn, clock.instant(),
                    Lsn.max(s.highestCommitLsn(), commitLsn));
        }
    }

    @Override
    public synchronized void keepAlive(WalConnection c, Lsn commitLsn) {
        if (c == connection) {
            choice.keepAlive(commitLsn);
        }
    }

    @Override
    public synchronized void walProcessed(WalConnection c) {
        if (c == connection) {
            choice.walProcessed();
        }
    }

    @Override
    public synchronized void ended(WalConnection c, Throwable cause) {
        if (c == connection) {
            choice.ended();
            connection = null;
            Status s = status;
            status = new Status(null, 0, s.lastReceivedLsn(), s.lastReceivedAt(), s.highestCommitLsn());
        }
    }

    /** Stops deciding, the subscription and the connection; waits for them. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        decider.interrupt();
        decider.join();
        if (subscription != null) {
            subscription.close();
        }
        WalConnection c;
        synchronized (this) {
            c = connection;
        }
        if (c != null) {
            c.stop();
        }
        metrics.unregister(this);
    }

    @Override
    public String toString() {
        return "WalReceiver[" + ttid + "]";
    }
}
