package dev.jneon.pageserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.api.page.GetBaseBackupRequest;
import dev.jneon.api.page.GetDbSizeRequest;
import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.GetPageResponse;
import dev.jneon.api.page.GetPageStatusCode;
import dev.jneon.api.page.GetRelSizeRequest;
import dev.jneon.api.page.GetSlruSegmentRequest;
import dev.jneon.api.page.LeaseLsnRequest;
import dev.jneon.api.page.PageServiceGrpc;
import dev.jneon.api.page.ReadLsn;
import dev.jneon.api.page.RelTag;
import dev.jneon.api.page.RequestID;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page service over loopback against a timeline imported from a real initdb, compared with its files. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcPageServiceIT {

    private static final int POSTGRES_DB = 5;
    private static final int PG_CLASS = 1259;

    @TempDir
    static Path tmp;

    private PageServiceFixture fixture;
    private ReadLsn latest;

    @BeforeAll
    void start() throws Exception {
        fixture = new PageServiceFixture(tmp, Duration.ofMillis(300));
        latest = ReadLsn.newBuilder().setRequestLsn(Lsn.MAX.value()).setNotModifiedSinceLsn(fixture.initdbLsn.value()).build();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private static RelTag rel(int db, int relNumber, int fork) {
        return RelTag.newBuilder().setSpcOid(1663).setDbOid(db).setRelNumber(relNumber).setForkNumber(fork).build();
    }

    private GetPageRequest pages(long id, RelTag rel, ReadLsn lsn, int... blocks) {
        return GetPageRequest.newBuilder().setRequestId(RequestID.newBuilder().setId(id)).setReadLsn(lsn).setRel(rel)
                .addAllBlockNumber(IntStream.of(blocks).boxed().toList()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "zstd"})
    void pagesOfPgClassEqualTheDataDirectoryFile(String compression) throws Exception {
        byte[] file = Files.readAllBytes(fixture.pgdata.resolve("base/5/1259"));
        int blocks = file.length / 8192;
        assertThat(blocks).isGreaterThan(1);
        try (var client = fixture.client(compression); var stream = client.openPages()) {
            int[] reversed = IntStream.range(0, blocks).map(i -> blocks - 1 - i).toArray();
            GetPageResponse response = stream.exchange(pages(7, rel(POSTGRES_DB, PG_CLASS, 0), latest, reversed));
            assertThat(response.getStatusCode()).as(response.getReason()).isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_OK);
            assertThat(response.getRequestId().getId()).isEqualTo(7);
            assertThat(response.getPageCount()).isEqualTo(blocks);
            for (int i = 0; i < blocks; i++) {
                int block = reversed[i];
                assertThat(response.getPage(i).getBlockNumber()).isEqualTo(block);
                assertThat(response.getPage(i).getImage().toByteArray())
                        .isEqualTo(Arrays.copyOfRange(file, block * 8192, (block + 1) * 8192));
            }
            // past the end of the fork: a zero page
            GetPageResponse past = stream.exchange(pages(8, rel(POSTGRES_DB, PG_CLASS, 0), latest, blocks + 10));
            assertThat(past.getPage(0).getImage().toByteArray()).isEqualTo(new byte[8192]);
        }
    }

    @Test
    void relationSizesDatabaseSizeAndSlruSegmentMatchTheFiles() throws Exception {
        try (var client = fixture.client("zstd")) {
            var stub = client.blocking();
            long pgClassBlocks = Files.size(fixture.pgdata.resolve("base/5/1259")) / 8192;
            assertThat(stub.getRelSize(GetRelSizeRequest.newBuilder().setReadLsn(latest).setRel(rel(POSTGRES_DB, PG_CLASS, 0)).build())
                    .getNumBlocks()).isEqualTo(pgClassBlocks);
            long fsmBlocks = Files.size(fixture.pgdata.resolve("base/5/1259_fsm")) / 8192;
            assertThat(stub.getRelSize(GetRelSizeRequest.newBuilder().setReadLsn(latest).setRel(rel(POSTGRES_DB, PG_CLASS, 1)).build())
                    .getNumBlocks()).isEqualTo(fsmBlocks);
            // a relation without a VM fork: size 0
            assertThat(Files.exists(fixture.pgdata.resolve("base/5/99999_vm"))).isFalse();
            assertThat(stub.getRelSize(GetRelSizeRequest.newBuilder().setReadLsn(latest).setRel(rel(POSTGRES_DB, 99999, 2)).build())
                    .getNumBlocks()).isZero();
            // a missing relation
            var missing = GetRelSizeRequest.newBuilder().setReadLsn(latest).setRel(rel(POSTGRES_DB, 99999, 0));
            assertThatThrownBy(() -> stub.getRelSize(missing.build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            assertThat(stub.getRelSize(missing.setAllowMissing(true).build()).getMissing()).isTrue();

            long expected;
            try (Stream<Path> files = Files.list(fixture.pgdata.resolve("base/5"))) {
                expected = files.filter(f -> f.getFileName().toString().matches("\\d+(_fsm|_vm|_init)?"))
                        .mapToLong(f -> f.toFile().length()).sum();
            }
            assertThat(stub.getDbSize(GetDbSizeRequest.newBuilder().setReadLsn(latest).setDbOid(POSTGRES_DB).build()).getNumBytes())
                    .isEqualTo(expected);

            byte[] xact = stub.getSlruSegment(GetSlruSegmentRequest.newBuilder().setReadLsn(latest).setKind(0).setSegno(0).build())
                    .getSegment().toByteArray();
            assertThat(xact).isEqualTo(Files.readAllBytes(fixture.pgdata.resolve("pg_xact/0000")));
        }
    }

    @Test
    void badRequestsOnTheStreamAreAnsweredAndTheStreamGoesOn() throws Exception {
        try (var client = fixture.client("gzip"); var stream = client.openPages()) {
            RelTag pgClass = rel(POSTGRES_DB, PG_CLASS, 0);
            assertThat(stream.exchange(pages(1, rel(POSTGRES_DB, PG_CLASS, 7), latest, 0)).getStatusCode())
                    .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST);
            assertThat(stream.exchange(pages(2, pgClass, latest, IntStream.range(0, 33).toArray())).getStatusCode())
                    .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST);
            assertThat(stream.exchange(pages(3, pgClass, latest)).getStatusCode())
                    .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST);
            assertThat(stream.exchange(pages(4, rel(POSTGRES_DB, 99999, 0), latest, 0)).getStatusCode())
                    .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_NOT_FOUND);
            ReadLsn zero = ReadLsn.newBuilder().setRequestLsn(0).build();
            GetPageResponse zeroLsn = stream.exchange(pages(5, pgClass, zero, 0));
            assertThat(zeroLsn.getStatusCode()).isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST);
            assertThat(zeroLsn.getReason()).contains("request_lsn");
            ReadLsn inverted = ReadLsn.newBuilder().setRequestLsn(fixture.initdbLsn.value()).setNotModifiedSinceLsn(Lsn.MAX.value()).build();
            assertThat(stream.exchange(pages(6, pgClass, inverted, 0)).getStatusCode())
                    .isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST);
            GetPageResponse ok = stream.exchange(pages(9, pgClass, latest, 0, 1));
            assertThat(ok.getStatusCode()).isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_OK);
            assertThat(ok.getRequestId().getId()).isEqualTo(9);
            assertThat(ok.getPageCount()).isEqualTo(2);

            // waiting for WAL that never comes ends the stream with UNAVAILABLE after the wait-LSN timeout
            ReadLsn beyond = ReadLsn.newBuilder().setRequestLsn(Lsn.MAX.value())
                    .setNotModifiedSinceLsn(fixture.initdbLsn.plus(0x10000).value()).build();
            assertThatThrownBy(() -> stream.exchange(pages(10, pgClass, beyond, 0))).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).contains("timed out").contains("waiting for LSN");
            });
        }
    }

    @Test
    void unaryCallsMapLsnAndUnimplementedErrors() throws Exception {
        try (var client = fixture.client("none")) {
            var stub = client.blocking();
            ReadLsn beyond = ReadLsn.newBuilder().setRequestLsn(Lsn.MAX.value())
                    .setNotModifiedSinceLsn(fixture.initdbLsn.plus(0x10000).value()).build();
            assertCode(() -> stub.getRelSize(GetRelSizeRequest.newBuilder().setReadLsn(beyond).setRel(rel(POSTGRES_DB, PG_CLASS, 0)).build()),
                    Status.Code.UNAVAILABLE);
            assertCode(() -> stub.getDbSize(GetDbSizeRequest.newBuilder().setReadLsn(ReadLsn.getDefaultInstance()).setDbOid(5).build()),
                    Status.Code.INVALID_ARGUMENT);
            assertCode(() -> stub.getDbSize(GetDbSizeRequest.newBuilder().setReadLsn(latest).setDbOid(424242).build()),
                    Status.Code.NOT_FOUND);
            assertCode(() -> stub.getBaseBackup(GetBaseBackupRequest.getDefaultInstance()).next(), Status.Code.INVALID_ARGUMENT);
            assertCode(() -> stub.leaseLsn(LeaseLsnRequest.newBuilder().setLsn(1).build()), Status.Code.UNIMPLEMENTED);
        }
    }

    @Test
    void headersNameAnExistingTimeline() throws Exception {
        String tenant = fixture.tenant.tenantId().toString();
        String timeline = fixture.timelineId.toString();
        var request = GetRelSizeRequest.newBuilder().setReadLsn(latest).setRel(rel(POSTGRES_DB, PG_CLASS, 0)).build();
        assertCode(() -> withHeaders(null, timeline, "0000").getRelSize(request), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> withHeaders("not-hex", timeline, "0000").getRelSize(request), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> withHeaders(tenant, timeline, "zz").getRelSize(request), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> withHeaders(TenantId.generate().toString(), timeline, "0000").getRelSize(request), Status.Code.NOT_FOUND);
        assertCode(() -> withHeaders(tenant, TimelineId.generate().toString(), "0000").getRelSize(request), Status.Code.NOT_FOUND);
        assertThat(withHeaders(tenant, timeline, "0000").getRelSize(request).getNumBlocks()).isPositive();

        try (var stranger = new PageServiceClient("127.0.0.1", fixture.server.port(), TenantShardId.unsharded(TenantId.generate()),
                fixture.timelineId, "none"); var stream = stranger.openPages()) {
            assertThatThrownBy(() -> stream.exchange(pages(1, rel(POSTGRES_DB, PG_CLASS, 0), latest, 0)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    private final List<ManagedChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();

    private PageServiceGrpc.PageServiceBlockingStub withHeaders(String tenant, String timeline, String shard) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", fixture.server.port()).usePlaintext().build();
        channels.add(channel);
        Metadata headers = new Metadata();
        if (tenant != null) {
            headers.put(PageServiceTarget.TENANT, tenant);
        }
        headers.put(PageServiceTarget.TIMELINE, timeline);
        headers.put(PageServiceTarget.SHARD, shard);
        return PageServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @AfterAll
    void closeChannels() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code));
    }
}
