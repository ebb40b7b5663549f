package dev.jneon.broker.pubsub;

import dev.jneon.common.broker.BrokerMessage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A long-lived publishing stream registered with {@link PubSub}: counted as an active publisher
 * until closed, and told (by {@code onShutdown}) when the broker stops so the transport can end the
 * stream. Thread-safe.
 */
public final class Publisher implements AutoCloseable {

    private final PubSub pubSub;
    private final Runnable onShutdown;
    private final AtomicBoolean closed = new AtomicBoolean();

    Publisher(PubSub pubSub, Runnable onShutdown) {
        this.pubSub = pubSub;
        this.onShutdown = onShutdown;
    }

    public void publish(BrokerMessage message) {
        pubSub.publish(message);
    }

    void shutdown() {
        onShutdown.run();
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pubSub.publisherClosed(this);
        }
    }
}
