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
import dev.jneon.safekeeper.auth.JwtVerifier;
import dev.jneon.safekeeper.backup.RemoteWal;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import org.springframework.beans.factory.ObjectProvider;
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
public class SafekeeperWalService implements SafekeeperWalGrpc.AsyncService, BindableService {

    private final Timelines timelines;
    private final WalMetrics metrics;
    private final JwtVerifier verifier;
    private final RemoteWal remote;

    public SafekeeperWalService(Timelines timelines, MeterRegistry registry, ObjectProvider<JwtVerifier> verifier,
            ObjectProvider<RemoteWal> remote) {
        this.timelines = timelines;
        this.verifier = verifier.getIfAvailable();
        this.remote = remote.getIfAvailable();
        this.metrics = new WalMetrics(registry);
        registry.gauge("safekeeper.timelines", timelines, t -> t.list().size());
        registry.gauge("safekeeper.timelines.broken", timelines, t -> t.broken().size());
    }

    /** The service, behind the JWT check when a public key is configured. */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition plain = SafekeeperWalGrpc.bindService(this);
        return verifier == null ? plain : ServerInterceptors.intercept(plain, new AuthInterceptor(verifier));
    }

    @Override
    public StreamObserver<ProposerMessage> walPush(StreamObserver<AcceptorMessage> responses) {
        return new WalPushCall(timelines, metrics, (ServerCallStreamObserver<AcceptorMessage>) responses);
    }

    @Override
    public StreamObserver<StreamWalClientMessage> streamWal(StreamObserver<StreamWalServerMessage> responses) {
        return new StreamWalCall(timelines, metrics, remote, (ServerCallStreamObserver<StreamWalServerMessage>) responses);
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
        Status denied = AuthInterceptor.check(AuthInterceptor.CLAIMS.get(), ttid.tenantId());
        if (denied != null) {
            out.onError(denied.asRuntimeException());
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
