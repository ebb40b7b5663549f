package dev.jneon.broker.grpc;

import dev.jneon.broker.pubsub.PubSub;
import dev.jneon.broker.pubsub.Subscriber;
import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.MessageFilter;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Drains one {@link Subscriber}'s queue into its server-streaming call, as fast as the client reads:
 * it sends only while {@link ServerCallStreamObserver#isReady()} and resumes from the call's
 * on-ready handler, so a slow client leaves messages in (and, when full, dropped from) its own
 * queue instead of buffering without bound or holding up publishers.
 *
 * <p>Draining runs on {@code executor}, never on a publisher's thread. Publishers, the on-ready
 * handler and the shutdown signal all call {@link #signal()}; a work-in-progress counter makes sure
 * exactly one drain runs at a time and that no signal is lost: a signal during a drain makes that
 * drain loop once more. So the observer is only ever used by one thread at a time. Thread-safe.
 */
final class SubscriberStream<P> {

    private final ServerCallStreamObserver<P> call;
    private final Function<BrokerMessage, P> toProto;
    private final Executor executor;
    private final AtomicInteger work = new AtomicInteger();
    private volatile Subscriber subscriber;
    private volatile boolean cancelled;
    private boolean finished; // only touched while draining

    private SubscriberStream(ServerCallStreamObserver<P> call, Function<BrokerMessage, P> toProto, Executor executor) {
        this.call = call;
        this.toProto = toProto;
        this.executor = executor;
    }

    /** Subscribes and keeps the call open until the client cancels or the broker shuts down. */
    static <P> void open(PubSub pubSub, MessageFilter filter, ServerCallStreamObserver<P> call,
            Function<BrokerMessage, P> toProto, Executor executor) {
        var stream = new SubscriberStream<>(call, toProto, executor);
        call.setOnCancelHandler(() -> {
            stream.cancelled = true;
            Subscriber s = stream.subscriber;
            if (s != null) {
                pubSub.unsubscribe(s);
            }
        });
        call.setOnReadyHandler(stream::signal);
        stream.subscriber = pubSub.subscribe(filter, stream::signal);
        if (stream.cancelled) {
            pubSub.unsubscribe(stream.subscriber);
        }
        stream.signal();
    }

    private void signal() {
        if (work.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                work.set(0); // shutting down: the server cancels the call
            }
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Subscriber s = subscriber;
            if (s != null && !finished) {
                if (cancelled) {
                    finished = true;
                } else if (s.closed()) {
                    finished = true;
                    call.onError(Status.UNAVAILABLE.withDescription("storage broker is shutting down").asRuntimeException());
                } else {
                    send(s);
                }
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    private void send(Subscriber s) {
        while (call.isReady() && !cancelled) {
            BrokerMessage message = s.poll();
            if (message == null) {
                return;
            }
            call.onNext(toProto.apply(message));
        }
    }
}
