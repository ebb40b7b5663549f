package dev.jneon.broker.grpc;

import com.google.protobuf.Empty;
import dev.jneon.broker.pubsub.PubSub;
import dev.jneon.broker.pubsub.Publisher;
import dev.jneon.common.broker.grpc.BrokerWire;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The server side of one PublishSafekeeperInfo stream: each incoming info is validated and
 * published; an invalid one ends the stream with INVALID_ARGUMENT; the client's half-close is
 * answered with Empty; broker shutdown ends it with UNAVAILABLE. Thread-safe: gRPC delivers the
 * inbound callbacks one at a time, shutdown may come from another thread, and the response
 * observer is only touched in {@link #finish}, guarded by {@code this}.
 */
final class PublishStream implements StreamObserver<dev.jneon.api.broker.SafekeeperTimelineInfo> {

    private final StreamObserver<Empty> response;
    private final Publisher publisher;
    private boolean finished; // guarded by this

    PublishStream(PubSub pubSub, StreamObserver<Empty> response) {
        this.response = response;
        this.publisher = pubSub.openPublisher(
                () -> finish(Status.UNAVAILABLE.withDescription("storage broker is shutting down")));
    }

    @Override
    public void onNext(dev.jneon.api.broker.SafekeeperTimelineInfo value) {
        try {
            var info = BrokerWire.fromProto(value);
            synchronized (this) {
                if (finished) {
                    return;
                }
            }
            publisher.publish(info);
        } catch (IllegalArgumentException e) {
            finish(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        }
    }

    @Override
    public void onError(Throwable t) {
        finish(null); // the client went away; nothing to answer
    }

    @Override
    public void onCompleted() {
        finish(Status.OK);
    }

    private synchronized void finish(Status status) {
        if (finished) {
            return;
        }
        finished = true;
        publisher.close();
        if (status == null) {
            return;
        }
        if (status.isOk()) {
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
        } else {
            response.onError(status.asRuntimeException());
        }
    }
}
