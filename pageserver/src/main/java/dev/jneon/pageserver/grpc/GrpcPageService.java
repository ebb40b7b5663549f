package dev.jneon.pageserver.grpc;

import com.google.protobuf.ByteString;
import dev.jneon.api.page.GetBaseBackupRequest;
import dev.jneon.api.page.GetBaseBackupResponseChunk;
import dev.jneon.api.page.GetDbSizeRequest;
import dev.jneon.api.page.GetDbSizeResponse;
import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.GetPageResponse;
import dev.jneon.api.page.GetRelSizeRequest;
import dev.jneon.api.page.GetRelSizeResponse;
import dev.jneon.api.page.GetSlruSegmentRequest;
import dev.jneon.api.page.GetSlruSegmentResponse;
import dev.jneon.api.page.LeaseLsnRequest;
import dev.jneon.api.page.LeaseLsnResponse;
import dev.jneon.api.page.PageServiceGrpc;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.pageserver.basebackup.BasebackupCompression;
import dev.jneon.pageserver.basebackup.BasebackupLsn;
import dev.jneon.pageserver.basebackup.Basebackups;
import dev.jneon.pageserver.config.PageserverProperties;
import dev.jneon.pageserver.page.PageReadException;
import dev.jneon.pageserver.page.PageReader;
import dev.jneon.pageserver.page.ReadLsn;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/**
 * The pageserver's gRPC page service (spec G.1): headers name the timeline, every read resolves its
 * {@link ReadLsn} to an effective LSN (waiting up to {@code jneon.pageserver.wait-lsn-timeout}) and
 * reads through {@link PageReader}. GetBaseBackup streams a {@link Basebackups} tar from a virtual
 * thread of its own, in 256 KiB chunks paced by the transport ({@link BasebackupChunks}). LeaseLsn
 * answers UNIMPLEMENTED. Calls run on the listener's virtual threads; the service holds no per-call
 * state and is thread-safe.
 */
@Component
public final class GrpcPageService implements PageServiceGrpc.AsyncService, BindableService {

    private final Tenants tenants;
    private final Duration waitLsnTimeout;
    private final Basebackups basebackups;

    public GrpcPageService(Tenants tenants, PageserverProperties properties, Basebackups basebackups) {
        this.tenants = tenants;
        this.waitLsnTimeout = properties.waitLsnTimeout();
        this.basebackups = basebackups;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerInterceptors.intercept(PageServiceGrpc.bindService(this), new PageServiceHeaders());
    }

    /** The timeline the current call's headers name; NOT_FOUND/UNAVAILABLE when it is unknown/inactive. */
    Timeline timeline(boolean shardZeroOnly) {
        PageServiceTarget target = PageServiceTarget.of(PageServiceHeaders.HEADERS.get());
        if (shardZeroOnly && !target.tenantShard().isShardZero()) {
            throw Status.INVALID_ARGUMENT.withDescription("this RPC is served by shard 0 only, not " + target.tenantShard())
                    .asRuntimeException();
        }
        return tenants.active(target.tenantShard()).timeline(target.timeline());
    }

    Lsn effectiveLsn(Timeline timeline, dev.jneon.api.page.ReadLsn lsn) throws InterruptedException {
        return ReadLsn.of(lsn.getRequestLsn(), lsn.getNotModifiedSinceLsn()).effective(timeline, waitLsnTimeout);
    }

    static RelTag relTag(dev.jneon.api.page.RelTag rel) {
        return new RelTag(rel.getSpcOid(), rel.getDbOid(), rel.getRelNumber(), ForkNumber.of(rel.getForkNumber()));
    }

    @Override
    public StreamObserver<GetPageRequest> getPages(StreamObserver<GetPageResponse> responses) {
        Timeline timeline;
        try {
            timeline = timeline(false);
        } catch (RuntimeException e) {
            responses.onError(PageServiceStatus.of(e).asRuntimeException());
            return new GetPagesStream(null, responses);
        }
        PageReader reader = new PageReader(timeline);
        return new GetPagesStream((rel, blocks, lsn) -> reader.pages(rel, blocks, effectiveLsn(timeline, lsn)), responses);
    }

    @Override
    public void getRelSize(GetRelSizeRequest request, StreamObserver<GetRelSizeResponse> response) {
        unary(response, () -> {
            Timeline timeline = timeline(true);
            RelTag rel = relTag(request.getRel());
            OptionalInt size = new PageReader(timeline).relSize(rel, effectiveLsn(timeline, request.getReadLsn()));
            if (size.isPresent()) {
                return GetRelSizeResponse.newBuilder().setNumBlocks(size.getAsInt()).build();
            }
            if (request.getAllowMissing()) {
                return GetRelSizeResponse.newBuilder().setMissing(true).build();
            }
            throw new PageReadException.NotFound("relation " + rel + " does not exist");
        });
    }

    @Override
    public void getDbSize(GetDbSizeRequest request, StreamObserver<GetDbSizeResponse> response) {
        unary(response, () -> {
            Timeline timeline = timeline(true);
            long bytes = new PageReader(timeline).dbSize(request.getDbOid(), effectiveLsn(timeline, request.getReadLsn()));
            return GetDbSizeResponse.newBuilder().setNumBytes(bytes).build();
        });
    }

    @Override
    public void getSlruSegment(GetSlruSegmentRequest request, StreamObserver<GetSlruSegmentResponse> response) {
        unary(response, () -> {
            Timeline timeline = timeline(true);
            SlruKind kind = SlruKind.of(request.getKind());
            byte[] segment = new PageReader(timeline).slruSegment(kind, request.getSegno(),
                    effectiveLsn(timeline, request.getReadLsn()));
            return GetSlruSegmentResponse.newBuilder().setSegment(ByteString.copyFrom(segment)).build();
        });
    }

    /**
     * Spec G.1 GetBaseBackup: lsn 0 = latest, else waited for; compression NONE or GZIP (UNKNOWN is
     * refused); {@code full} is accepted and ignored, jneon backups are always full. Checks run before
     * the first chunk, so they end the call with a status and no data.
     */
    @Override
    public void getBaseBackup(GetBaseBackupRequest request, StreamObserver<GetBaseBackupResponseChunk> response) {
        long started = System.nanoTime();
        Timeline timeline;
        BasebackupCompression compression;
        try {
            timeline = timeline(true);
            compression = switch (request.getCompression()) {
                case BASE_BACKUP_COMPRESSION_NONE -> BasebackupCompression.NONE;
                case BASE_BACKUP_COMPRESSION_GZIP -> BasebackupCompression.GZIP;
                case BASE_BACKUP_COMPRESSION_UNKNOWN, UNRECOGNIZED -> throw Status.INVALID_ARGUMENT
                        .withDescription("unknown basebackup compression " + request.getCompressionValue())
                        .asRuntimeException();
            };
        } catch (RuntimeException e) {
            response.onError(PageServiceStatus.of(e).asRuntimeException());
            return;
        }
        BasebackupChunks chunks = new BasebackupChunks((ServerCallStreamObserver<GetBaseBackupResponseChunk>) response);
        Thread.ofVirtual().name("basebackup-" + timeline.timelineId()).start(() -> {
            try {
                BasebackupLsn at = basebackups.resolve(timeline, new Lsn(request.getLsn()), request.getReplica());
                basebackups.stream(timeline, at, compression, chunks, started);
                response.onCompleted();
            } catch (InterruptedException e) {
                response.onError(PageServiceStatus.of(e).asRuntimeException());
            } catch (IOException e) {
                if (!chunks.cancelled()) {
                    response.onError(Status.UNAVAILABLE.withDescription("basebackup stream failed: " + e.getMessage())
                            .withCause(e).asRuntimeException());
                }
            } catch (RuntimeException e) {
                response.onError(PageServiceStatus.of(e).asRuntimeException());
            }
        });
    }

    @Override
    public void leaseLsn(LeaseLsnRequest request, StreamObserver<LeaseLsnResponse> response) {
        response.onError(Status.UNIMPLEMENTED.withDescription("LeaseLsn is not implemented by this pageserver yet")
                .asRuntimeException());
    }

    @FunctionalInterface
    private interface Call<R> {
        R run() throws InterruptedException;
    }

    private static <R> void unary(StreamObserver<R> response, Call<R> call) {
        R result;
        try {
            result = call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(PageServiceStatus.of(e).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            response.onError(PageServiceStatus.of(e).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
