package dev.jneon.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Collects what one server-streaming call delivers. {@code reading == false} starts it without
 * asking for any message (a subscriber that does not read) until {@link #readAll()}.
 * Thread-safe.
 */
public final class Received<Q, T> implements ClientResponseObserver<Q, T> {

    /** Generous bound for anything a test waits for; never a measure of speed. */
    public static final long WAIT_SECONDS = 30;

    private final boolean reading;
    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile ClientCallStreamObserver<Q> call;
    private volatile Status status;

    public Received(boolean reading) {
        this.reading = reading;
    }

    public Received() {
        this(true);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
        call = requestStream;
        if (!reading) {
            requestStream.disableAutoRequestWithInitial(0);
        }
    }

    @Override
    public void onNext(T value) {
        queue.add(value);
    }

    @Override
    public void onError(Throwable t) {
        status = Status.fromThrowable(t);
        ended.countDown();
    }

    @Override
    public void onCompleted() {
        status = Status.OK;
        ended.countDown();
    }

    /** The next message; fails if none comes within {@link #WAIT_SECONDS}. */
    public T next() throws InterruptedException {
        T value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(value).as("a message within %d s (stream status %s)", WAIT_SECONDS, status).isNotNull();
        return value;
    }

    /** Messages received so far, without waiting. */
    public List<T> drained() {
        List<T> out = new ArrayList<>();
        queue.drainTo(out);
        return out;
    }

    public void readAll() {
        call.request(Integer.MAX_VALUE);
    }

    /** How the stream ended; fails if it does not end within {@link #WAIT_SECONDS}. */
    public Status awaitEnd() throws InterruptedException {
        assertThat(ended.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("stream ended").isTrue();
        return status;
    }

    public void cancel() {
        call.cancel("test done", null);
    }
}
