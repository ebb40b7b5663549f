package dev.jneon.safekeeper.grpc;

import dev.jneon.safekeeper.acceptor.AcceptorMessage;
import dev.jneon.safekeeper.acceptor.ProposerMessage;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.Greeting;
import dev.jneon.safekeeper.acceptor.ProposerMessage.ProposerElected;
import dev.jneon.safekeeper.acceptor.ProtocolViolation;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.TimelineStatus.WalReceiver;
import dev.jneon.safekeeper.timeline.Timelines;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WalPush stream (spec B.1, B.3): the network side converts and queues proposer messages
 * (bounded: at most {@link #QUEUE} requested from the transport at a time, one more after each is
 * taken); a disk thread processes them through the timeline and answers. Appends are answered
 * after a group fsync: when the queue is empty, at least every second under load, and at the end.
 * Any error ends the call with a status: INVALID_ARGUMENT (malformed message, first message not a
 * greeting), NOT_FOUND (unknown timeline), FAILED_PRECONDITION (message refused by the protocol
 * state), UNAVAILABLE (timeline shutting down or WAL space could not be prepared), INTERNAL.
 *
 * <p>Thread-safe: the transport calls {@code on*} serially; outbound messages are sent under this
 * object's monitor.
 */
final class WalPushCall implements StreamObserver<dev.jneon.api.safekeeper.ProposerMessage> {

    static final int QUEUE = 256;
    private static final long MAX_FLUSH_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Logger log = LoggerFactory.getLogger(WalPushCall.class);
    private static final AtomicLong CONN_IDS = new AtomicLong();

    private sealed interface Item {
        record Message(ProposerMessage message) implements Item {}

        record End(boolean clientCompleted) implements Item {}
    }

    private final Timelines timelines;
    private final WalMetrics metrics;
    private final ServerCallStreamObserver<dev.jneon.api.safekeeper.AcceptorMessage> out;
    private final dev.jneon.safekeeper.auth.Claims claims = AuthInterceptor.CLAIMS.get();
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE + 1);
    private final long connId = CONN_IDS.incrementAndGet();
    private Timeline timeline;
    private boolean finished;

    WalPushCall(Timelines timelines, WalMetrics metrics,
            ServerCallStreamObserver<dev.jneon.api.safekeeper.AcceptorMessage> out) {
        this.timelines = timelines;
        this.metrics = metrics;
        this.out = out;
        // A proposer that goes away (compute killed, fenced, restarted) cancels the call; that is
        // the normal end of a stream, not an error: stop sending, and let onError end the loop.
        out.setOnCancelHandler(this::cancelled);
        out.disableAutoRequest();
        out.request(QUEUE);
    }

    private synchronized void cancelled() {
        if (!finished) {
            finished = true;
            log.info("WalPush {}{}: cancelled by the proposer", connId, timeline == null ? "" : " on " + timeline.ttid());
        }
    }

    @Override
    public void onNext(dev.jneon.api.safekeeper.ProposerMessage proto) {
        if (isFinished()) {
            return;
        }
        ProposerMessage message;
        try {
            message = WalPushMessages.fromProto(proto);
        } catch (IllegalArgumentException e) {
            fail(Status.INVALID_ARGUMENT.withDescription("malformed proposer message: " + e.getMessage()));
            return;
        }
        if (timeline == null) {
            if (!(message instanceof Greeting g)) {
                fail(Status.INVALID_ARGUMENT.withDescription("the first WalPush message must be a greeting, got "
                        + message.getClass().getSimpleName()));
                return;
            }
            Status denied = AuthInterceptor.check(claims, g.ttid().tenantId());
            if (denied != null) {
                fail(denied);
                return;
            }
            Optional<Timeline> found = timelines.get(g.ttid());
            if (found.isEmpty()) {
                fail(Status.NOT_FOUND.withDescription("timeline " + g.ttid() + " does not exist on this safekeeper"));
                return;
            }
            timeline = found.get();
            timeline.putReceiver(new WalReceiver(connId, "Voting"));
            metrics.activeWalPush.incrementAndGet();
            Thread.ofVirtual().name("walpush-" + connId).start(this::diskLoop);
        }
        if (!queue.offer(new Item.Message(message))) {
            fail(Status.RESOURCE_EXHAUSTED.withDescription("more than " + QUEUE + " proposer messages in flight"));
        }
    }

    @Override
    public void onError(Throwable t) {
        end(false);
    }

    @Override
    public void onCompleted() {
        end(true);
    }

    private void end(boolean clientCompleted) {
        if (timeline == null) {
            synchronized (this) {
                if (!finished && clientCompleted) {
                    out.onCompleted();
                }
                finished = true;
            }
            return;
        }
        queue.offer(new Item.End(clientCompleted));
    }

    private void diskLoop() {
        boolean unflushed = false;
        long lastFlush = System.nanoTime();
        try {
            while (true) {
                long wait = unflushed ? Math.max(0, lastFlush + MAX_FLUSH_DELAY_NANOS - System.nanoTime())
                        : MAX_FLUSH_DELAY_NANOS;
                Item item = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (isFinished()) {
                    return;
                }
                if (item == null) {
                    if (unflushed) {
                        send(flush());
                        unflushed = false;
                        lastFlush = System.nanoTime();
                    }
                    continue;
                }
                if (item instanceof Item.End end) {
                    if (unflushed) {
                        unflushed = false;
                        var response = flush();
                        if (end.clientCompleted()) {
                            send(response);
                        }
                    }
                    complete(end.clientCompleted());
                    return;
                }
                ProposerMessage message = ((Item.Message) item).message();
                out.request(1);
                Optional<AcceptorMessage> reply = timeline.process(message);
                reply.ifPresent(this::send);
                if (message instanceof ProposerElected) {
                    timeline.putReceiver(new WalReceiver(connId, "Streaming"));
                }
                if (message instanceof AppendRequest a && reply.isEmpty()) {
                    unflushed = true;
                    metrics.appendedBytes.increment(a.walData().length);
                }
                if (unflushed && (queue.isEmpty() || System.nanoTime() - lastFlush >= MAX_FLUSH_DELAY_NANOS)) {
                    send(flush());
                    unflushed = false;
                    lastFlush = System.nanoTime();
                }
            }
        } catch (ProtocolViolation e) {
            log.info("WalPush {} on {}: {}", connId, timeline.ttid(), e.getMessage());
            fail(Status.FAILED_PRECONDITION.withDescription(e.getMessage()));
        } catch (IllegalArgumentException e) {
            fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        } catch (IOException e) {
            log.warn("WalPush {} on {}: {}", connId, timeline.ttid(), e.toString());
            fail(Status.UNAVAILABLE.withDescription(e.getMessage()));
        } catch (InterruptedException e) {
            fail(Status.UNAVAILABLE.withDescription("safekeeper is shutting down"));
        } catch (RuntimeException e) {
            if (timeline.isClosed()) {
                fail(Status.UNAVAILABLE.withDescription("timeline " + timeline.ttid() + " is shut down or deleted"));
            } else {
                log.error("WalPush {} on {} failed", connId, timeline.ttid(), e);
                fail(Status.INTERNAL.withDescription(e.toString()));
            }
        } finally {
            if (unflushed && !timeline.isClosed()) {
                timeline.flush();
            }
            timeline.removeReceiver(connId);
            metrics.activeWalPush.decrementAndGet();
        }
    }

    private AcceptorMessage.AppendResponse flush() {
        long t0 = System.nanoTime();
        var response = timeline.flush();
        metrics.flush.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        return response;
    }

    private synchronized boolean isFinished() {
        return finished;
    }

    private synchronized void send(AcceptorMessage message) {
        if (!finished) {
            out.onNext(WalPushMessages.toProto(message));
        }
    }

    private synchronized void complete(boolean clientCompleted) {
        if (!finished) {
            finished = true;
            if (clientCompleted) {
                out.onCompleted();
            }
        }
    }

    private synchronized void fail(Status status) {
        if (!finished) {
            finished = true;
            metrics.callFailed("WalPush", status);
            queue.offer(new Item.End(false));
            if (!out.isCancelled()) {
                out.onError(status.asRuntimeException());
            }
        }
    }
}
