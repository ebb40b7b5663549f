package dev.jneon.compute.system;

import com.google.protobuf.ByteString;
import dev.jneon.api.page.GetPageClass;
import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.GetPageResponse;
import dev.jneon.api.page.GetPageStatusCode;
import dev.jneon.api.page.GetRelSizeRequest;
import dev.jneon.api.page.PageServiceGrpc;
import dev.jneon.api.page.ReadLsn;
import dev.jneon.api.page.RequestID;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.testing.PageComparison;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Pages of one timeline read over the pageserver's gRPC page service at one LSN (GetRelSize with
 * allow_missing, GetPages in batches of 32 on one stream per relation), for {@link PageComparison}.
 * Not thread-safe; close it to release the channel.
 */
final class GrpcPageSource implements PageComparison.PageSource, AutoCloseable {

    private static final int BATCH = 32;

    private final ManagedChannel channel;
    private final PageServiceGrpc.PageServiceBlockingStub blocking;
    private final PageServiceGrpc.PageServiceStub async;
    private final ReadLsn lsn;
    private long requestId;

    GrpcPageSource(int grpcPort, TenantTimelineId ttid, Lsn at) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER), ttid.tenantId().toString());
        headers.put(Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER), ttid.timelineId().toString());
        headers.put(Metadata.Key.of("neon-shard-id", Metadata.ASCII_STRING_MARSHALLER), "0000");
        var interceptor = MetadataUtils.newAttachHeadersInterceptor(headers);
        blocking = PageServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
        async = PageServiceGrpc.newStub(channel).withInterceptors(interceptor);
        lsn = ReadLsn.newBuilder().setRequestLsn(at.value()).setNotModifiedSinceLsn(at.value()).build();
    }

    private static dev.jneon.api.page.RelTag proto(RelTag rel) {
        return dev.jneon.api.page.RelTag.newBuilder().setSpcOid(rel.spcNode()).setDbOid(rel.dbNode())
                .setRelNumber(rel.relNode()).setForkNumber(rel.fork().number()).build();
    }

    @Override
    public boolean exists(RelTag rel) {
        return !blocking.withDeadlineAfter(60, TimeUnit.SECONDS).getRelSize(GetRelSizeRequest.newBuilder()
                .setReadLsn(lsn).setRel(proto(rel)).setAllowMissing(true).build()).getMissing();
    }

    @Override
    public int blocks(RelTag rel) {
        return blocking.withDeadlineAfter(60, TimeUnit.SECONDS).getRelSize(GetRelSizeRequest.newBuilder()
                .setReadLsn(lsn).setRel(proto(rel)).build()).getNumBlocks();
    }

    @Override
    public List<byte[]> pages(RelTag rel, int count) throws Exception {
        var responses = new LinkedBlockingQueue<Object>();
        StreamObserver<GetPageRequest> requests = async.withDeadlineAfter(120, TimeUnit.SECONDS)
                .getPages(new StreamObserver<>() {
                    @Override
                    public void onNext(GetPageResponse r) {
                        responses.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        responses.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        int batches = 0;
        for (int first = 0; first < count; first += BATCH) {
            var request = GetPageRequest.newBuilder().setRequestId(RequestID.newBuilder().setId(++requestId))
                    .setRequestClass(GetPageClass.GET_PAGE_CLASS_NORMAL).setReadLsn(lsn).setRel(proto(rel));
            for (int b = first; b < Math.min(count, first + BATCH); b++) {
                request.addBlockNumber(b);
            }
            requests.onNext(request.build());
            batches++;
        }
        requests.onCompleted();
        List<byte[]> pages = new ArrayList<>(count);
        for (int i = 0; i < batches; i++) {
            Object item = responses.poll(120, TimeUnit.SECONDS);
            if (!(item instanceof GetPageResponse r)) {
                throw new IllegalStateException("GetPages of " + rel + " failed: " + item);
            }
            if (r.getStatusCode() != GetPageStatusCode.GET_PAGE_STATUS_CODE_OK) {
                throw new IllegalStateException("GetPages of " + rel + ": " + r.getStatusCode() + " " + r.getReason());
            }
            r.getPageList().stream().map(p -> p.getImage()).map(ByteString::toByteArray).forEach(pages::add);
        }
        return pages;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
