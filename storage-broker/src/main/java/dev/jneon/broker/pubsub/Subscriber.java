package dev.jneon.broker.pubsub;

import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.MessageFilter;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One subscriber's bounded queue between {@link PubSub} (publishers offer) and the transport that
 * drains it (polls). A full queue drops its oldest message so the subscriber lags rather than
 * blocks anyone: the broker's equivalent of a lagging receiver on a bounded broadcast channel.
 * Every enqueue and {@link #close()} runs the wake-up callback, which must not block.
 * Thread-safe: any number of publishers, one drainer.
 */
public final class Subscriber {

    /** What {@link #offer} did with a message. */
    enum Offered { SKIPPED, QUEUED, QUEUED_DROPPING_OLDEST }

    private final MessageFilter filter;
    private final ArrayBlockingQueue<BrokerMessage> queue;
    private final Runnable wakeUp;
    private volatile boolean closed;

    Subscriber(MessageFilter filter, int capacity, Runnable wakeUp) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.wakeUp = wakeUp;
    }

    public MessageFilter filter() {
        return filter;
    }

    Offered offer(BrokerMessage message) {
        if (closed || !filter.matches(message)) {
            return Offered.SKIPPED;
        }
        boolean dropped = false;
        while (!queue.offer(message)) {
            dropped |= queue.poll() != null;
        }
        wakeUp.run();
        return dropped ? Offered.QUEUED_DROPPING_OLDEST : Offered.QUEUED;
    }

    /** The oldest queued message, or null when none is queued. */
    public BrokerMessage poll() {
        return queue.poll();
    }

    /** True once the broker shuts down: the transport ends the stream. */
    public boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
        wakeUp.run();
    }
}
