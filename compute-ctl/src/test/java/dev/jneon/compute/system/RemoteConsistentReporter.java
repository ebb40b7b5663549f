package dev.jneon.compute.system;

import com.google.protobuf.ByteString;
import dev.jneon.api.safekeeper.PageserverFeedback;
import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.StreamFeedback;
import dev.jneon.api.safekeeper.StreamStart;
import dev.jneon.api.safekeeper.StreamWalClientMessage;
import dev.jneon.api.safekeeper.StreamWalServerMessage;
import dev.jneon.api.safekeeper.TenantTimelineId;
import dev.jneon.common.id.Lsn;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for a pageserver whose layers reach remote storage at once: streams a timeline's
 * committed WAL from one safekeeper and answers every message with PageserverFeedback whose
 * remote_consistent_lsn is the end of the WAL received, so the safekeepers may remove WAL below it
 * (the real pageserver reports its uploaded LSN the same way). Used from one test thread; the gRPC
 * callbacks run on the channel's threads.
 */
final class RemoteConsistentReporter implements AutoCloseable {

    private final ManagedChannel channel;
    private final StreamObserver<StreamWalClientMessage> requests;
    private final AtomicLong received = new AtomicLong();

    RemoteConsistentReporter(int grpcPort, dev.jneon.common.id.TenantTimelineId ttid, Lsn start) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        received.set(start.value());
        requests = SafekeeperWalGrpc.newStub(channel).streamWal(new StreamObserver<StreamWalServerMessage>() {
            @Override
            public void onNext(StreamWalServerMessage m) {
                if (m.hasWalData()) {
                    received.set(m.getWalData().getWalStart() + m.getWalData().getData().size());
                }
                report();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(StreamWalClientMessage.newBuilder().setStart(StreamStart.newBuilder()
                .setTtid(TenantTimelineId.newBuilder().setTenantId(ByteString.copyFrom(ttid.tenantId().toBytes()))
                        .setTimelineId(ByteString.copyFrom(ttid.timelineId().toBytes())))
                .setStartLsn(start.value()).setApplicationName("remote-consistent-reporter")).build());
    }

    private synchronized void report() {
        long at = received.get();
        requests.onNext(StreamWalClientMessage.newBuilder().setFeedback(StreamFeedback.newBuilder()
                .setPageserver(PageserverFeedback.newBuilder().setLastReceivedLsn(at).setDiskConsistentLsn(at)
                        .setRemoteConsistentLsn(at).setReplytimeUs(System.currentTimeMillis() * 1000))).build());
    }

    /** The end of the WAL received (and reported remote consistent) so far. */
    Lsn received() {
        return Lsn.of(received.get());
    }

    @Override
    public synchronized void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the stream already ended
        }
        channel.shutdownNow();
    }
}
