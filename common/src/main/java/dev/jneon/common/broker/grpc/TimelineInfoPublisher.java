package dev.jneon.common.broker.grpc;

import com.google.protobuf.Empty;
import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.common.broker.Backoff;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A safekeeper's long-lived PublishSafekeeperInfo stream. {@link #publish} never blocks: it opens
 * the stream when there is none (unless the {@link Backoff} delay after a failure has not passed),
 * and drops the message when the stream is down or, once established, not ready for more (HTTP/2
 * flow control). That is safe because a safekeeper publishes every timeline's state again a second
 * later. Thread-safe: guarded by {@code this}; gRPC callbacks arrive on the channel's executor.
 */
public final class TimelineInfoPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TimelineInfoPublisher.class);

    private final BrokerServiceGrpc.BrokerServiceStub stub;
    private final Backoff backoff;
    private ClientCallStreamObserver<dev.jneon.api.broker.SafekeeperTimelineInfo> stream;
    private boolean established;
    private int failures;
    private long retryAtNanos;
    private boolean closed;

    TimelineInfoPublisher(BrokerServiceGrpc.BrokerServiceStub stub, Backoff backoff) {
        this.stub = stub;
        this.backoff = backoff;
    }

    /** Hands {@code info} to the stream; false when it was dropped (stream down or not ready). */
    public synchronized boolean publish(SafekeeperTimelineInfo info) {
        if (closed) {
            throw new IllegalStateException("publisher is closed");
        }
        if (stream == null) {
            if (failures > 0 && System.nanoTime() - retryAtNanos < 0) {
                return false;
            }
            open();
        }
        if (established && !stream.isReady()) {
            return false;
        }
        stream.onNext(BrokerWire.toProto(info));
        return true;
    }

    private void open() {
        stub.publishSafekeeperInfo(new ClientResponseObserver<dev.jneon.api.broker.SafekeeperTimelineInfo, Empty>() {
            private ClientCallStreamObserver<dev.jneon.api.broker.SafekeeperTimelineInfo> mine;

            @Override
            public void beforeStart(ClientCallStreamObserver<dev.jneon.api.broker.SafekeeperTimelineInfo> requests) {
                mine = requests;
                stream = requests;
                established = false;
                requests.setOnReadyHandler(() -> ready(requests));
            }

            @Override
            public void onNext(Empty value) {
            }

            @Override
            public void onError(Throwable t) {
                ended(mine, Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended(mine, Status.OK);
            }
        });
    }

    private synchronized void ready(ClientCallStreamObserver<?> requests) {
        if (requests == stream) {
            established = true;
            failures = 0;
        }
    }

    private synchronized void ended(ClientCallStreamObserver<?> requests, Status status) {
        if (requests != stream || closed) {
            return;
        }
        stream = null;
        established = false;
        failures++;
        retryAtNanos = System.nanoTime() + backoff.delayAfter(failures).toNanos();
        if (failures == 1 || failures % 60 == 0) {
            log.warn("broker publishing stream ended ({} in a row): {}", failures, status);
        }
    }

    /** Whether a stream is open and has been ready at least once. */
    public synchronized boolean established() {
        return stream != null && established;
    }

    /** Ends the stream cleanly (half-close); later {@link #publish} calls fail. */
    @Override
    public synchronized void close() {
        closed = true;
        if (stream != null) {
            stream.onCompleted();
            stream = null;
        }
    }
}
