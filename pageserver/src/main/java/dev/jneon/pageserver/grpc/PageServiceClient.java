package dev.jneon.pageserver.grpc;

import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.GetPageResponse;
import dev.jneon.api.page.PageServiceGrpc;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plaintext client of one timeline's page service (pagebench, tests): sends the target headers on
 * every call and compresses requests with {@code compression} ("none", "gzip" or "zstd"). The stubs
 * are thread-safe; a {@link PageStream} belongs to one thread.
 */
public final class PageServiceClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final PageServiceGrpc.PageServiceBlockingStub blocking;
    private final PageServiceGrpc.PageServiceStub async;

    public PageServiceClient(String host, int port, TenantShardId tenantShard, TimelineId timeline, String compression) {
        channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .compressorRegistry(PageServiceCodecs.compressors())
                .decompressorRegistry(PageServiceCodecs.decompressors())
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        Metadata headers = new Metadata();
        headers.put(PageServiceTarget.TENANT, tenantShard.tenantId().toString());
        headers.put(PageServiceTarget.TIMELINE, timeline.toString());
        headers.put(PageServiceTarget.SHARD, tenantShard.shard().toString());
        var attach = MetadataUtils.newAttachHeadersInterceptor(headers);
        var blockingStub = PageServiceGrpc.newBlockingStub(channel).withInterceptors(attach);
        var asyncStub = PageServiceGrpc.newStub(channel).withInterceptors(attach);
        if (!compression.equals("none")) {
            if (!PageServiceCodecs.ENCODINGS.contains(compression)) {
                throw new IllegalArgumentException("compression must be none, gzip or zstd, got " + compression);
            }
            blockingStub = blockingStub.withCompression(compression);
            asyncStub = asyncStub.withCompression(compression);
        }
        blocking = blockingStub;
        async = asyncStub;
    }

    /** Unary calls (GetRelSize, GetDbSize, GetSlruSegment ...). */
    public PageServiceGrpc.PageServiceBlockingStub blocking() {
        return blocking;
    }

    /** Opens a GetPages stream. */
    public PageStream openPages() {
        return new PageStream(async);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    /** One GetPages call used request-by-request: each {@link #exchange} waits for its response. */
    public static final class PageStream implements AutoCloseable {

        private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
        private final StreamObserver<GetPageRequest> outbound;

        PageStream(PageServiceGrpc.PageServiceStub stub) {
            outbound = stub.getPages(new StreamObserver<>() {
                @Override
                public void onNext(GetPageResponse value) {
                    inbound.add(value);
                }

                @Override
                public void onError(Throwable t) {
                    inbound.add(t);
                }

                @Override
                public void onCompleted() {
                    inbound.add(io.grpc.Status.OK.asRuntimeException());
                }
            });
        }

        /** Sends one request and returns its response; the call's end status is thrown. */
        public GetPageResponse exchange(GetPageRequest request) throws InterruptedException {
            outbound.onNext(request);
            Object next = inbound.take();
            if (next instanceof GetPageResponse response) {
                return response;
            }
            throw next instanceof StatusRuntimeException e ? e : io.grpc.Status.fromThrowable((Throwable) next).asRuntimeException();
        }

        @Override
        public void close() {
            try {
                outbound.onCompleted();
            } catch (IllegalStateException ignored) {
                // the call already ended
            }
        }
    }
}
