package dev.jneon.safekeeper.grpc;

import com.google.protobuf.ByteString;
import dev.jneon.api.safekeeper.KeepAlive;
import dev.jneon.api.safekeeper.StreamEnd;
import dev.jneon.api.safekeeper.StreamStart;
import dev.jneon.api.safekeeper.StreamWalClientMessage;
import dev.jneon.api.safekeeper.StreamWalServerMessage;
import dev.jneon.api.safekeeper.WalData;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.safekeeper.acceptor.ProposerMessage;
import dev.jneon.safekeeper.acceptor.Term;
import dev.jneon.safekeeper.backup.RemoteWal;
import dev.jneon.safekeeper.timeline.Timeline;
import dev.jneon.safekeeper.timeline.TimelineStatus.WalConsumer;
import dev.jneon.safekeeper.timeline.Timelines;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One StreamWal stream (spec E.1, E.2). After the StreamStart, a sender thread streams WAL from
 * start_lsn up to the commit LSN, or, with a term, up to the flush LSN while the safekeeper's term
 * equals it (a term change fails the stream with FAILED_PRECONDITION). Chunks are at most 128 KiB,
 * cut at an 8 KiB page boundary unless they reach the end, never across a segment end. A start
 * beyond the end waits; after 1 s without data a KeepAlive with reply_requested is sent. Feedback
 * is recorded per consumer (pageserver feedback also on the timeline: remote_consistent_lsn = max).
 * WAL no longer held locally (removed below local_start_lsn) is read from the offloaded segment in
 * remote storage (spec F.4), when remote storage is configured.
 * In commit mode the stream ends with StreamEnd and OK once the reader has reported
 * remote_consistent_lsn at or past the commit LSN and no proposer is connected. Outbound flow
 * control: the sender waits while the transport is not ready.
 *
 * <p>Thread-safe: the transport calls {@code on*} serially; outbound messages are sent under this
 * object's monitor.
 */
final class StreamWalCall implements StreamObserver<StreamWalClientMessage> {

    private static final AtomicLong CONN_IDS = new AtomicLong();
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Timelines timelines;
    private final WalMetrics metrics;
    private final RemoteWal remote;
    private final ServerCallStreamObserver<StreamWalServerMessage> out;
    private final long connId = CONN_IDS.incrementAndGet();
    private final dev.jneon.safekeeper.auth.Claims claims = AuthInterceptor.CLAIMS.get();
    private volatile boolean stopped;
    private volatile Thread sender;
    private volatile Lsn reportedRemoteConsistent = Lsn.INVALID;
    private Timeline timeline;
    private WalConsumer consumer;
    private boolean finished;

    /** @param remote where offloaded WAL is read when it is no longer local; null = no remote storage */
    StreamWalCall(Timelines timelines, WalMetrics metrics, RemoteWal remote,
            ServerCallStreamObserver<StreamWalServerMessage> out) {
        this.timelines = timelines;
        this.metrics = metrics;
        this.remote = remote;
        this.out = out;
        out.setOnCancelHandler(() -> stopped = true);
        out.setOnReadyHandler(() -> {
            Thread t = sender;
            if (t != null) {
                LockSupport.unpark(t);
            }
        });
    }

    @Override
    public void onNext(StreamWalClientMessage message) {
        if (stopped) {
            return;
        }
        if (timeline == null) {
            if (message.getMsgCase() != StreamWalClientMessage.MsgCase.START) {
                fail(Status.INVALID_ARGUMENT.withDescription("the first StreamWal message must be a StreamStart"));
                return;
            }
            start(message.getStart());
            return;
        }
        switch (message.getMsgCase()) {
            case FEEDBACK -> feedback(message.getFeedback());
            case START -> fail(Status.INVALID_ARGUMENT.withDescription("StreamStart sent twice"));
            case MSG_NOT_SET -> fail(Status.INVALID_ARGUMENT.withDescription("StreamWal message carries nothing"));
        }
    }

    private void start(StreamStart start) {
        var ttid = start.hasTtid() ? tryTtid(start) : null;
        if (ttid == null) {
            return;
        }
        Status denied = AuthInterceptor.check(claims, ttid.tenantId());
        if (denied != null) {
            fail(denied);
            return;
        }
        Optional<Timeline> found = timelines.get(ttid);
        if (found.isEmpty()) {
            fail(Status.NOT_FOUND.withDescription("timeline " + ttid + " does not exist on this safekeeper"));
            return;
        }
        timeline = found.get();
        Lsn startLsn = Lsn.of(start.getStartLsn());
        Optional<Term> term = start.hasTerm() ? Optional.of(Term.of(start.getTerm())) : Optional.empty();
        consumer = new WalConsumer(connId, start.getApplicationName(), startLsn, startLsn, Lsn.INVALID, Lsn.INVALID);
        timeline.putConsumer(consumer);
        metrics.activeStreamWal.incrementAndGet();
        sender = Thread.ofVirtual().name("streamwal-" + connId).start(() -> send(startLsn, term));
    }

    private dev.jneon.common.id.TenantTimelineId tryTtid(StreamStart start) {
        try {
            return ProtoMapping.ttid(start.getTtid());
        } catch (IllegalArgumentException e) {
            fail(Status.INVALID_ARGUMENT.withDescription("malformed ttid: " + e.getMessage()));
            return null;
        }
    }

    private void feedback(dev.jneon.api.safekeeper.StreamFeedback f) {
        switch (f.getKindCase()) {
            case PAGESERVER -> {
                var ps = WalPushMessages.fromProto(f.getPageserver());
                timeline.recordPageserverFeedback(ps);
                reportedRemoteConsistent = Lsn.max(reportedRemoteConsistent, ps.remoteConsistentLsn());
                updateConsumer(ps.lastReceivedLsn(), ps.remoteConsistentLsn());
                LockSupport.unpark(sender);
            }
            case STANDBY_REPLY -> updateConsumer(Lsn.of(f.getStandbyReply().getFlushLsn()), Lsn.INVALID);
            case HOT_STANDBY -> timeline.recordHotStandbyFeedback(WalPushMessages.fromProto(f.getHotStandby()));
            case KIND_NOT_SET -> fail(Status.INVALID_ARGUMENT.withDescription("feedback carries nothing"));
        }
    }

    private synchronized void updateConsumer(Lsn feedbackLsn, Lsn remoteConsistent) {
        consumer = new WalConsumer(connId, consumer.applicationName(), consumer.startLsn(), consumer.sentLsn(),
                feedbackLsn, Lsn.max(consumer.remoteConsistentLsn(), remoteConsistent));
        timeline.putConsumer(consumer);
    }

    private synchronized void updateSent(Lsn sent) {
        consumer = new WalConsumer(connId, consumer.applicationName(), consumer.startLsn(), sent,
                consumer.lastFeedbackLsn(), consumer.remoteConsistentLsn());
        timeline.putConsumer(consumer);
    }

    private void send(Lsn startLsn, Optional<Term> term) {
        Lsn pos = startLsn;
        long lastSend = System.nanoTime();
        byte[] buf = new byte[ProposerMessage.MAX_SEND_SIZE];
        int segmentSize = timeline.status().state().server().walSegSize();
        try {
            while (!stopped) {
                if (timeline.isClosed()) {
                    fail(Status.UNAVAILABLE.withDescription("timeline " + timeline.ttid() + " is shut down or deleted"));
                    return;
                }
                Optional<Lsn> end = timeline.sendableEnd(term);
                if (end.isEmpty()) {
                    fail(termChanged(term));
                    return;
                }
                if (pos.isBefore(end.get())) {
                    awaitReady();
                    int len = chunk(pos, end.get(), segmentSize);
                    int n = timeline.read(pos, buf, 0, len);
                    if (n <= 0 && remote != null) {
                        n = remote.read(timeline.ttid(), segmentSize, pos, buf, 0, len);
                        metrics.remoteReadBytes.increment(Math.max(n, 0));
                    }
                    if (n <= 0) {
                        fail(Status.OUT_OF_RANGE.withDescription("WAL at " + pos + " is not held by this safekeeper"
                                + (remote != null ? " nor in remote storage" : "")));
                        return;
                    }
                    if (term.isPresent() && timeline.sendableEnd(term).isEmpty()) {
                        fail(termChanged(term));
                        return;
                    }
                    emit(StreamWalServerMessage.newBuilder().setWalData(WalData.newBuilder().setWalStart(pos.value())
                            .setWalEnd(end.get().value()).setSendTimeUs(nowUs()).setData(ByteString.copyFrom(buf, 0, n)))
                            .build());
                    pos = pos.plus(n);
                    metrics.sentBytes.increment(n);
                    updateSent(pos);
                    lastSend = System.nanoTime();
                    continue;
                }
                if (term.isEmpty() && !timeline.hasReceivers() && end.get().isValid()
                        && !reportedRemoteConsistent.isBefore(end.get())) {
                    emit(StreamWalServerMessage.newBuilder().setEnd(StreamEnd.newBuilder()
                            .setReason("ending streaming to " + consumer.applicationName() + " at " + end.get()
                                    + ": caught up and there is no compute")).build());
                    complete();
                    return;
                }
                long idle = System.nanoTime() - lastSend;
                if (idle >= KEEPALIVE_NANOS) {
                    emit(StreamWalServerMessage.newBuilder().setKeepAlive(KeepAlive.newBuilder()
                            .setWalEnd(end.get().value()).setTsUs(nowUs()).setReplyRequested(true)).build());
                    lastSend = System.nanoTime();
                    idle = 0;
                }
                timeline.awaitBeyond(pos, term, Duration.ofNanos(KEEPALIVE_NANOS - idle));
            }
        } catch (IOException e) {
            fail(Status.UNAVAILABLE.withDescription("reading WAL: " + e.getMessage()));
        } catch (InterruptedException e) {
            fail(Status.UNAVAILABLE.withDescription("safekeeper is shutting down"));
        } catch (RuntimeException e) {
            fail(Status.INTERNAL.withDescription(e.toString()));
        } finally {
            timeline.removeConsumer(connId);
            metrics.activeStreamWal.decrementAndGet();
        }
    }

    /** Bytes to send from {@code pos}: ≤ 128 KiB, within the segment, page-aligned unless up to the end. */
    static int chunk(Lsn pos, Lsn end, int segmentSize) {
        long limit = Math.min(end.minus(pos), ProposerMessage.MAX_SEND_SIZE);
        limit = Math.min(limit, segmentSize - pos.segmentOffset(segmentSize));
        long to = pos.value() + limit;
        if (to != end.value()) {
            long aligned = to & ~(long) (WalFormat.PAGE_SIZE - 1);
            if (aligned > pos.value()) {
                to = aligned;
            }
        }
        return (int) (to - pos.value());
    }

    private Status termChanged(Optional<Term> term) {
        return Status.FAILED_PRECONDITION.withDescription("safekeeper term is now " + timeline.status().term()
                + ", the stream asked for term " + term.orElseThrow());
    }

    private void awaitReady() {
        while (!stopped && !out.isReady()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static long nowUs() {
        return TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    }

    @Override
    public void onError(Throwable t) {
        stopped = true;
        unparkSender();
    }

    @Override
    public void onCompleted() {
        stopped = true;
        unparkSender();
        complete();
    }

    private void unparkSender() {
        Thread t = sender;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private synchronized void emit(StreamWalServerMessage m) {
        if (!finished && !stopped) {
            out.onNext(m);
        }
    }

    private synchronized void complete() {
        if (!finished) {
            finished = true;
            stopped = true;
            if (!out.isCancelled()) {
                out.onCompleted();
            }
        }
    }

    private synchronized void fail(Status status) {
        if (!finished) {
            finished = true;
            stopped = true;
            metrics.callFailed("StreamWal", status);
            if (!out.isCancelled()) {
                out.onError(status.asRuntimeException());
            }
        }
    }
}
