package dev.jneon.pageserver.walreceiver.grpc;

import com.google.protobuf.ByteString;
import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.StreamFeedback;
import dev.jneon.api.safekeeper.StreamStart;
import dev.jneon.api.safekeeper.StreamWalClientMessage;
import dev.jneon.api.safekeeper.StreamWalServerMessage;
import dev.jneon.api.safekeeper.TenantTimelineId;
import dev.jneon.common.id.Lsn;
import dev.jneon.pageserver.walreceiver.PageserverFeedback;
import dev.jneon.pageserver.walreceiver.SafekeeperMessage;
import dev.jneon.pageserver.walreceiver.WalStream;
import dev.jneon.pageserver.walreceiver.WalStreamException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WalStream} over the safekeeper's gRPC StreamWal (spec safekeeper-broker.md E.1), on its
 * own plaintext channel to the safekeeper's {@code host:port}. Inbound flow control is manual: one
 * message is requested at a time, and the next only when {@link #next} hands one out, so at most
 * two messages (128 KiB of WAL each) wait in memory. The StreamStart carries no term: the
 * safekeeper sends committed WAL only.
 *
 * <p>Thread-safety: gRPC callbacks only enqueue; {@link #next}, {@link #send} and {@link #close}
 * are called by the one connection thread.
 */
public final class GrpcWalStream implements WalStream {

    /** The application name safekeepers see for this reader. */
    public static final String APPLICATION_NAME = "pageserver";

    private static final Object COMPLETED = new Object();

    private final ManagedChannel channel;
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private final ClientCallStreamObserver<StreamWalClientMessage> requests;
    private final String connstr;
    private boolean finished;

    private GrpcWalStream(String connstr, dev.jneon.common.id.TenantTimelineId ttid, Lsn start) {
        this.connstr = connstr;
        this.channel = ManagedChannelBuilder.forTarget(connstr).usePlaintext()
                .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS).build();
        var observer = new ClientResponseObserver<StreamWalClientMessage, StreamWalServerMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamWalClientMessage> stream) {
                stream.disableAutoRequestWithInitial(1);
            }

            @Override
            public void onNext(StreamWalServerMessage message) {
                inbound.add(message);
            }

            @Override
            public void onError(Throwable t) {
                inbound.add(t);
            }

            @Override
            public void onCompleted() {
                inbound.add(COMPLETED);
            }
        };
        this.requests = (ClientCallStreamObserver<StreamWalClientMessage>) SafekeeperWalGrpc.newStub(channel)
                .streamWal(observer);
        requests.onNext(StreamWalClientMessage.newBuilder().setStart(StreamStart.newBuilder()
                .setTtid(TenantTimelineId.newBuilder().setTenantId(ByteString.copyFrom(ttid.tenantId().toBytes()))
                        .setTimelineId(ByteString.copyFrom(ttid.timelineId().toBytes())))
                .setStartLsn(start.value()).setApplicationName(APPLICATION_NAME)).build());
    }

    /** The {@link WalStream.Opener} of gRPC streams. */
    public static WalStream open(String connstr, dev.jneon.common.id.TenantTimelineId ttid, Lsn start) {
        return new GrpcWalStream(connstr, ttid, start);
    }

    @Override
    public SafekeeperMessage next(Duration wait) throws InterruptedException {
        if (finished) {
            throw new WalStreamException("the stream from " + connstr + " is over", null);
        }
        Object item = inbound.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) {
            return null;
        }
        if (item instanceof Throwable t) {
            finished = true;
            throw new WalStreamException("WAL stream from " + connstr + " failed: " + Status.fromThrowable(t), t);
        }
        if (item == COMPLETED) {
            finished = true;
            throw new WalStreamException("safekeeper " + connstr + " closed the WAL stream without a StreamEnd", null);
        }
        StreamWalServerMessage m = (StreamWalServerMessage) item;
        requests.request(1);
        return switch (m.getMsgCase()) {
            case WAL_DATA -> new SafekeeperMessage.WalChunk(Lsn.of(m.getWalData().getWalStart()),
                    Lsn.of(m.getWalData().getWalEnd()), m.getWalData().getData().toByteArray());
            case KEEP_ALIVE -> new SafekeeperMessage.KeepAlive(Lsn.of(m.getKeepAlive().getWalEnd()),
                    m.getKeepAlive().getReplyRequested());
            case END -> {
                finished = true;
                yield new SafekeeperMessage.StreamEnd(m.getEnd().getReason());
            }
            case MSG_NOT_SET -> throw new WalStreamException("safekeeper " + connstr + " sent an empty message", null);
        };
    }

    @Override
    public void send(PageserverFeedback f) {
        if (finished) {
            return;
        }
        requests.onNext(StreamWalClientMessage.newBuilder().setFeedback(StreamFeedback.newBuilder()
                .setPageserver(dev.jneon.api.safekeeper.PageserverFeedback.newBuilder()
                        .setCurrentTimelineSize(f.currentTimelineSize())
                        .setLastReceivedLsn(f.lastReceivedLsn().value())
                        .setDiskConsistentLsn(f.diskConsistentLsn().value())
                        .setRemoteConsistentLsn(f.remoteConsistentLsn().value())
                        .setReplytimeUs(f.replyTimeUs())
                        .setShardNumber(f.shardNumber())
                        .setCorruptionDetected(f.corruptionDetected()))).build());
    }

    @Override
    public void close() {
        finished = true;
        requests.cancel("the WAL receiver closes the stream", null); // a no-op once the call is over
        channel.shutdownNow();
    }
}
