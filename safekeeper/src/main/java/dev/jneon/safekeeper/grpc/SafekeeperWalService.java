package dev.jneon.safekeeper.grpc;

import dev.jneon.api.safekeeper.AcceptorMessage;
import dev.jneon.api.safekeeper.GetTimelineStatusRequest;
import dev.jneon.api.safekeeper.GetTimelineStatusResponse;
import dev.jneon.api.safekeeper.ProposerMessage;
import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.StreamWalClientMessage;
import dev.jneon.api.safekeeper.StreamWalServerMessage;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.timeline.TimelineStatus;
import dev.jneon.safekeeper.timeline.Timelines;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The safekeeper's gRPC data plane {@code jneon.safekeeper.v1.SafekeeperWal}: WalPush
 * ({@link WalPushCall}), StreamWal ({@link StreamWalCall}) and GetTimelineStatus. Stateless apart
 * from the shared {@link Timelines}; thread-safe.
 */
@Component
public class SafekeeperWalService extends SafekeeperWalGrpc.SafekeeperWalImplBase {

    private final Timelines timelines;
    private final WalMetrics metrics;

    public SafekeeperWalService(Timelines timelines, MeterRegistry registry) {
        this.timelines = timelines;
        this.metrics = new WalMetrics(registry);
        registry.gauge("safekeeper.timelines", timelines, t -> t.list().size());
        registry.gauge("safekeeper.timelines.broken", timelines, t -> t.broken().size());
    }

    @Override
    public StreamObserver<ProposerMessage> walPush(StreamObserver<AcceptorMessage> responses) {
        return new WalPushCall(timelines, metrics, (ServerCallStreamObserver<AcceptorMessage>) responses);
    }

    @Override
    public StreamObserver<StreamWalClientMessage> streamWal(StreamObserver<StreamWalServerMessage> responses) {
        return new StreamWalCall(timelines, metrics, (ServerCallStreamObserver<StreamWalServerMessage>) responses);
    }

    @Override
    public void getTimelineStatus(GetTimelineStatusRequest request, StreamObserver<GetTimelineStatusResponse> out) {
        TenantTimelineId ttid;
        try {
            ttid = ProtoMapping.ttid(request.getTtid());
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("malformed ttid: " + e.getMessage()).asRuntimeException());
            return;
        }
        Optional<TimelineStatus> status = timelines.get(ttid).map(t -> t.status());
        var b = GetTimelineStatusResponse.newBuilder().setExists(status.isPresent());
        status.ifPresent(s -> {
            Lsn flush = request.getUncommitted() ? s.flushLsn() : Lsn.min(s.flushLsn(), s.commitLsn());
            b.setFlushLsn(flush.value()).setCommitLsn(s.commitLsn().value())
                    .setSystemId(s.state().server().systemId()).setTli(1).setTerm(s.term().value())
                    .setLastLogTerm(s.lastLogTerm().value());
        });
        out.onNext(b.build());
        out.onCompleted();
    }
}
