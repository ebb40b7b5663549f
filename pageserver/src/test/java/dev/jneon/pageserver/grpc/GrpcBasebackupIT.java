package dev.jneon.pageserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.api.page.BaseBackupCompression;
import dev.jneon.api.page.GetBaseBackupRequest;
import dev.jneon.api.page.GetBaseBackupResponseChunk;
import dev.jneon.api.page.PageServiceGrpc;
import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.grpc.GrpcServerProperties;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.basebackup.BasebackupMetrics;
import dev.jneon.pageserver.basebackup.Basebackups;
import dev.jneon.pageserver.config.PageserverProperties;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetBaseBackup over loopback against a timeline imported from a real initdb: the tar arrives in
 * chunks of at most 256 KiB; uncompressed, gzip-compressed and zstd message-compressed calls yield
 * the same bytes (the server clock is fixed), which GNU tar reads; bad requests end with the
 * statuses of spec G.1 before any data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcBasebackupIT {

    @TempDir
    static Path tmp;

    private PageServiceFixture fixture;
    private GrpcServer server;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        fixture = new PageServiceFixture(tmp, Duration.ofMillis(300));
        var properties = new PageserverProperties(tmp.resolve("workdir"), Duration.ofMillis(500), true);
        var basebackups = new Basebackups(Duration.ofMillis(500), BasebackupMetrics.unregistered(),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
        server = new GrpcServer(new GrpcServerProperties("127.0.0.1", 0, Duration.ofSeconds(1), null),
                List.of(new GrpcPageService(fixture.tenants, properties, basebackups)), InsecureServerCredentials.create(),
                List.of(new PageServiceCodecs()));
        server.start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        server.stop();
        fixture.close();
    }

    @Test
    void compressedAndUncompressedCallsYieldTheSameTar() throws Exception {
        var plain = GetBaseBackupRequest.newBuilder().setCompression(BaseBackupCompression.BASE_BACKUP_COMPRESSION_NONE)
                .setFull(true).build();
        List<GetBaseBackupResponseChunk> chunks = new ArrayList<>();
        stub(fixture.tenant.tenantId().toString(), fixture.timelineId.toString(), null).getBaseBackup(plain)
                .forEachRemaining(chunks::add);
        assertThat(chunks.size()).isGreaterThan(10);
        assertThat(chunks).allSatisfy(c -> assertThat(c.getChunk().size()).isBetween(1, BasebackupChunks.CHUNK_SIZE));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (GetBaseBackupResponseChunk c : chunks) {
            c.getChunk().writeTo(tar);
        }

        byte[] viaZstdMessages = concat(stub(fixture.tenant.tenantId().toString(), fixture.timelineId.toString(), "zstd")
                .getBaseBackup(plain));
        assertThat(viaZstdMessages).isEqualTo(tar.toByteArray());

        var gzip = plain.toBuilder().setCompression(BaseBackupCompression.BASE_BACKUP_COMPRESSION_GZIP)
                .setLsn(fixture.initdbLsn.value()).build();
        byte[] gzipped = concat(stub(fixture.tenant.tenantId().toString(), fixture.timelineId.toString(), null)
                .getBaseBackup(gzip));
        assertThat(gzipped.length).isLessThan(tar.size() / 4);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped)).readAllBytes()).isEqualTo(tar.toByteArray());

        Path file = tmp.resolve("grpc.tar");
        Files.write(file, tar.toByteArray());
        String listing = PgCluster.run(List.of("tar", "-tf", file.toString()), Duration.ofMinutes(1));
        assertThat(listing.lines()).contains("PG_VERSION", "global/pg_control", "base/5/PG_VERSION", "pg_xact/0000")
                .last().asString().startsWith("pg_wal/0000000100000000");
    }

    @Test
    void badRequestsEndWithTheirStatus() {
        String tenant = fixture.tenant.tenantId().toString();
        String timeline = fixture.timelineId.toString();
        var ok = GetBaseBackupRequest.newBuilder().setCompression(BaseBackupCompression.BASE_BACKUP_COMPRESSION_GZIP).build();
        assertCode(stub(TenantId.generate().toString(), timeline, null), ok, Status.Code.NOT_FOUND);
        assertCode(stub(tenant, TimelineId.generate().toString(), null), ok, Status.Code.NOT_FOUND);
        assertCode(stub(tenant, timeline, null), ok.toBuilder().setCompressionValue(0).build(), Status.Code.INVALID_ARGUMENT);
        assertCode(stub(tenant, timeline, null), ok.toBuilder().setCompressionValue(7).build(), Status.Code.INVALID_ARGUMENT);
        assertCode(stub(tenant, timeline, null), ok.toBuilder().setLsn(fixture.initdbLsn.value() + 4).build(),
                Status.Code.INVALID_ARGUMENT);
        assertCode(stub(tenant, timeline, null), ok.toBuilder().setLsn(Lsn.of(0x100).value()).build(),
                Status.Code.INVALID_ARGUMENT);
        assertCode(stub(tenant, timeline, null), ok.toBuilder().setLsn(fixture.initdbLsn.plus(1 << 20).value()).build(),
                Status.Code.UNAVAILABLE);
    }

    private PageServiceGrpc.PageServiceBlockingStub stub(String tenant, String timeline, String compression) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .compressorRegistry(PageServiceCodecs.compressors()).decompressorRegistry(PageServiceCodecs.decompressors())
                .build();
        channels.add(channel);
        Metadata headers = new Metadata();
        headers.put(PageServiceTarget.TENANT, tenant);
        headers.put(PageServiceTarget.TIMELINE, timeline);
        headers.put(PageServiceTarget.SHARD, "0000");
        var stub = PageServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        return compression == null ? stub : stub.withCompression(compression);
    }

    private static byte[] concat(Iterator<GetBaseBackupResponseChunk> chunks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (chunks.hasNext()) {
            chunks.next().getChunk().writeTo(out);
        }
        return out.toByteArray();
    }

    private static void assertCode(PageServiceGrpc.PageServiceBlockingStub stub, GetBaseBackupRequest request,
            Status.Code code) {
        assertThatThrownBy(() -> stub.getBaseBackup(request).hasNext()).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code));
    }
}
