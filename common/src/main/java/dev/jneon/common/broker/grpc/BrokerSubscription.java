package dev.jneon.common.broker.grpc;

import dev.jneon.common.broker.Backoff;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-streaming broker subscription kept open until {@link #close()}: a virtual thread opens
 * the stream, converts and hands each message to the consumer, and when the stream fails or ends
 * (broker restart, network loss) waits the {@link Backoff} delay and opens it again. The broker
 * does not replay what was published while the stream was down. A message that does not convert
 * or a consumer that throws also restarts the stream. Thread-safe.
 */
public final class BrokerSubscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerSubscription.class);

    private final String what;
    private Thread thread; // set once, before the thread starts
    private volatile boolean closed;
    private volatile Context.CancellableContext current;
    private volatile long attempts;

    private BrokerSubscription(String what) {
        this.what = what;
    }

    static <P, M> BrokerSubscription start(String what, Backoff backoff, Supplier<Iterator<P>> open,
            Function<P, ? extends M> convert, Consumer<? super M> onMessage) {
        var subscription = new BrokerSubscription(what);
        subscription.thread = Thread.ofVirtual().name("broker-subscription")
                .unstarted(() -> subscription.run(backoff, open, convert, onMessage));
        subscription.thread.start();
        return subscription;
    }

    private <P, M> void run(Backoff backoff, Supplier<Iterator<P>> open, Function<P, ? extends M> convert,
            Consumer<? super M> onMessage) {
        int failures = 0;
        while (!closed) {
            Context.CancellableContext context = Context.current().withCancellation();
            current = context;
            try {
                if (closed) {
                    break;
                }
                Iterator<P> stream = context.call(open::get);
                attempts++;
                while (stream.hasNext()) {
                    M message = convert.apply(stream.next());
                    failures = 0;
                    onMessage.accept(message);
                }
                failures++;
                log.info("broker ended the subscription to {}; reconnecting", what);
            } catch (StatusRuntimeException e) {
                if (closed) {
                    break;
                }
                failures++;
                if (failures == 1 || failures % 60 == 0) {
                    log.warn("broker subscription to {} failed ({} in a row): {}", what, failures, e.getStatus());
                }
            } catch (Exception e) {
                if (closed) {
                    break;
                }
                failures++;
                log.warn("broker subscription to {} restarts after an error in a message or its handling", what, e);
            } finally {
                context.cancel(null);
            }
            if (!pause(backoff.delayAfter(failures))) {
                break;
            }
        }
    }

    private boolean pause(Duration delay) {
        try {
            Thread.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** How many times the stream was opened: the first time and each reconnect. */
    public long attempts() {
        return attempts;
    }

    /** Cancels the stream and waits for the subscription thread, unless called from that thread. */
    @Override
    public void close() {
        closed = true;
        Context.CancellableContext context = current;
        if (context != null) {
            context.cancel(null);
        }
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
