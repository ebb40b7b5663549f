package dev.jneon.compute.grpc;

import com.google.protobuf.ByteString;
import dev.jneon.api.page.BaseBackupCompression;
import dev.jneon.api.page.GetBaseBackupRequest;
import dev.jneon.api.page.GetBaseBackupResponseChunk;
import dev.jneon.api.page.PageServiceGrpc;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Client of the pageserver's page_api {@code GetBaseBackup} (spec A.5 step 6): asks shard 0 for a
 * full basebackup ({@code full=true}) at an LSN, gzip-compressed, with the tenant, timeline and shard
 * headers ({@code neon-tenant-id}, {@code neon-timeline-id}, {@code neon-shard-id: 0000}) and the
 * storage token if any, and returns the uncompressed tar as a stream that pulls chunks as it is
 * read. A server error, also one after the last chunk, surfaces as an IOException from
 * {@code read}. One instance per call; not thread-safe.
 */
public final class BasebackupClient implements AutoCloseable {

    private static final int MAX_INBOUND = 16 << 20;
    private static final Metadata.Key<String> TENANT = Metadata.Key.of("neon-tenant-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TIMELINE =
            Metadata.Key.of("neon-timeline-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> SHARD = Metadata.Key.of("neon-shard-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTH = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final Context.CancellableContext context = Context.current().withCancellation();
    private long compressedBytes;

    public BasebackupClient(InetSocketAddress pageserver) {
        this.channel = NettyChannelBuilder.forAddress(pageserver.getHostString(), pageserver.getPort()).usePlaintext()
                .maxInboundMessageSize(MAX_INBOUND).build();
    }

    /** Starts the call; the returned stream is the uncompressed tar. */
    public InputStream open(TenantTimelineId ttid, Lsn lsn, boolean replica, String token) throws IOException {
        var headers = new Metadata();
        headers.put(TENANT, ttid.tenantId().toString());
        headers.put(TIMELINE, ttid.timelineId().toString());
        headers.put(SHARD, "0000");
        if (token != null && !token.isBlank()) {
            headers.put(AUTH, "Bearer " + token);
        }
        var request = GetBaseBackupRequest.newBuilder().setLsn(lsn.value()).setReplica(replica).setFull(true)
                .setCompression(BaseBackupCompression.BASE_BACKUP_COMPRESSION_GZIP).build();
        var stub = PageServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        Iterator<GetBaseBackupResponseChunk> chunks;
        Context previous = context.attach();
        try {
            chunks = stub.getBaseBackup(request);
        } finally {
            context.detach(previous);
        }
        return new GZIPInputStream(new ChunkStream(chunks), 64 * 1024);
    }

    /** Bytes received on the wire so far (compressed). */
    public long compressedBytes() {
        return compressedBytes;
    }

    @Override
    public void close() {
        context.cancel(null);
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The chunks of the response as one byte stream. */
    private final class ChunkStream extends InputStream {
        private final Iterator<GetBaseBackupResponseChunk> chunks;
        private ByteString current = ByteString.EMPTY;
        private int pos;

        ChunkStream(Iterator<GetBaseBackupResponseChunk> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos >= current.size()) {
                try {
                    if (!chunks.hasNext()) {
                        return -1;
                    }
                    current = chunks.next().getChunk();
                } catch (StatusRuntimeException e) {
                    throw new IOException("GetBaseBackup failed: " + e.getStatus().getCode() + " "
                            + e.getStatus().getDescription(), e);
                }
                pos = 0;
                compressedBytes += current.size();
            }
            int n = Math.min(len, current.size() - pos);
            current.copyTo(b, pos, off, n);
            pos += n;
            return n;
        }
    }
}
