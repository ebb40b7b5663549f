package dev.jneon.safekeeper.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.api.broker.SafekeeperTimelineInfo;
import dev.jneon.api.broker.TenantTimelineId;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.TimelineStatus;
import dev.jneon.safekeeper.timeline.Timelines;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes this safekeeper's state of each active timeline (a proposer connected, the pageserver's
 * remote_consistent_lsn behind commit_lsn, or, when offloading, a full segment not yet offloaded) to the storage broker on one PublishSafekeeperInfo stream,
 * every publish interval (spec G). Best effort: on any error the stream is reopened after 1 s;
 * commits never depend on it. Thread-safe: one publishing thread, started and stopped by its owner.
 */
public final class BrokerPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerPublisher.class);

    private final Timelines timelines;
    private final long nodeId;
    private final String advertiseHost;
    private final IntSupplier grpcPort;
    private final IntSupplier httpPort;
    private final Duration interval;
    private final boolean offloading;
    private final ManagedChannel channel;
    private final Thread thread;
    private volatile boolean stopped;

    public BrokerPublisher(Timelines timelines, long nodeId, String endpoint, String advertiseHost, IntSupplier grpcPort,
            IntSupplier httpPort, Duration interval, boolean offloading) {
        this.timelines = timelines;
        this.nodeId = nodeId;
        this.advertiseHost = advertiseHost;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
        this.interval = interval;
        this.offloading = offloading;
        this.channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext()
                .keepAliveTime(5, TimeUnit.SECONDS).build();
        this.thread = Thread.ofVirtual().name("broker-publisher").start(this::run);
    }

    private void run() {
        while (!stopped) {
            try {
                publishUntilError();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("publishing to the storage broker failed, retrying in 1 s: {}", e.toString());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void publishUntilError() throws InterruptedException {
        var failed = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        StreamObserver<SafekeeperTimelineInfo> stream = BrokerServiceGrpc.newStub(channel)
                .publishSafekeeperInfo(new StreamObserver<Empty>() {
                    @Override
                    public void onNext(Empty value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        failed.set(t);
                    }

                    @Override
                    public void onCompleted() {
                        failed.set(new IllegalStateException("broker ended the publish stream"));
                    }
                });
        try {
            while (!stopped && failed.get() == null) {
                for (var ttid : timelines.list()) {
                    timelines.get(ttid).filter(this::isActive).ifPresent(t -> stream.onNext(info(t)));
                }
                Thread.sleep(interval.toMillis());
            }
        } finally {
            if (failed.get() == null) {
                stream.onCompleted();
            }
        }
        if (failed.get() != null && !stopped) {
            throw new IllegalStateException("publish stream failed: " + failed.get());
        }
    }

    private boolean isActive(Timeline t) {
        TimelineStatus s = t.status();
        int seg = s.state().server().walSegSize();
        return t.hasReceivers() || s.remoteConsistentLsn().isBefore(s.commitLsn())
                || offloading && s.commitLsn().segmentNumber(seg) > s.backupLsn().segmentNumber(seg);
    }

    SafekeeperTimelineInfo info(Timeline t) {
        TimelineStatus s = t.status();
        return SafekeeperTimelineInfo.newBuilder().setSafekeeperId(nodeId)
                .setTenantTimelineId(TenantTimelineId.newBuilder()
                        .setTenantId(ByteString.copyFrom(t.ttid().tenantId().toBytes()))
                        .setTimelineId(ByteString.copyFrom(t.ttid().timelineId().toBytes())))
                .setTerm(s.term().value()).setLastLogTerm(s.lastLogTerm().value()).setFlushLsn(s.flushLsn().value())
                .setCommitLsn(s.commitLsn().value()).setBackupLsn(s.backupLsn().value())
                .setRemoteConsistentLsn(s.remoteConsistentLsn().value()).setPeerHorizonLsn(s.peerHorizonLsn().value())
                .setLocalStartLsn(s.state().localStartLsn().value())
                .setSafekeeperConnstr(advertiseHost + ":" + grpcPort.getAsInt())
                .setHttpConnstr(advertiseHost + ":" + httpPort.getAsInt()).build();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5000);
        channel.shutdownNow();
    }
}
