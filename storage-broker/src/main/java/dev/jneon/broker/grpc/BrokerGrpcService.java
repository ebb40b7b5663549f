package dev.jneon.broker.grpc;

import com.google.protobuf.Empty;
import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.api.broker.SubscribeByFilterRequest;
import dev.jneon.api.broker.SubscribeSafekeeperInfoRequest;
import dev.jneon.api.broker.TypedMessage;
import dev.jneon.broker.pubsub.PubSub;
import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.MessageFilter;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.broker.grpc.BrokerWire;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Neon's {@code storage_broker.BrokerService} over {@link PubSub}: converts and validates at the
 * edge (bad requests and messages get INVALID_ARGUMENT with the reason) and streams to subscribers
 * through {@link SubscriberStream}, whose drains run on virtual threads owned by this service.
 * Thread-safe.
 */
public final class BrokerGrpcService extends BrokerServiceGrpc.BrokerServiceImplBase implements AutoCloseable {

    private final PubSub pubSub;
    private final ExecutorService drains = Executors.newVirtualThreadPerTaskExecutor();

    public BrokerGrpcService(PubSub pubSub) {
        this.pubSub = pubSub;
    }

    @Override
    public void subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest request,
            StreamObserver<dev.jneon.api.broker.SafekeeperTimelineInfo> responses) {
        MessageFilter filter = validated(() -> BrokerWire.filterFromProto(request), responses);
        if (filter != null) {
            SubscriberStream.open(pubSub, filter, (ServerCallStreamObserver<dev.jneon.api.broker.SafekeeperTimelineInfo>) responses,
                    m -> BrokerWire.toProto((SafekeeperTimelineInfo) m), drains);
        }
    }

    @Override
    public StreamObserver<dev.jneon.api.broker.SafekeeperTimelineInfo> publishSafekeeperInfo(StreamObserver<Empty> response) {
        return new PublishStream(pubSub, response);
    }

    @Override
    public void subscribeByFilter(SubscribeByFilterRequest request, StreamObserver<TypedMessage> responses) {
        MessageFilter filter = validated(() -> BrokerWire.filterFromProto(request), responses);
        if (filter != null) {
            SubscriberStream.open(pubSub, filter, (ServerCallStreamObserver<TypedMessage>) responses,
                    BrokerWire::toTypedProto, drains);
        }
    }

    @Override
    public void publishOne(TypedMessage request, StreamObserver<Empty> response) {
        BrokerMessage message = validated(() -> BrokerWire.fromProto(request), response);
        if (message != null) {
            pubSub.publish(message);
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
        }
    }

    /** The converted value, or null after answering INVALID_ARGUMENT. */
    private static <T> T validated(Supplier<T> conversion, StreamObserver<?> responses) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return null;
        }
    }

    /** Stops the drain threads; call after the listeners have stopped. */
    @Override
    public void close() {
        drains.shutdownNow();
    }
}
