package dev.jneon.safekeeper.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.api.safekeeper.AcceptorMessage;
import dev.jneon.api.safekeeper.GetTimelineStatusRequest;
import dev.jneon.api.safekeeper.ProposerMessage;
import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.VoteRequest;
import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.safekeeper.RealWal;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * WalPush, StreamWal, GetTimelineStatus and the timeline HTTP API of an in-process safekeeper,
 * driven with real PostgreSQL 15 WAL by a tiny in-test proposer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "jneon.grpc.port=0")
class WalPushIT {

    static RealWal real;
    static Path dataDir;

    @LocalServerPort
    int httpPort;
    @Autowired
    GrpcServer grpc;
    ManagedChannel channel;
    SafekeeperClient sk;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        dataDir = Files.createTempDirectory("jneon-sk-walpush");
        registry.add("jneon.safekeeper.data-dir", dataDir::toString);
    }

    @BeforeAll
    static void makeWal() throws Exception {
        real = RealWal.create();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        real.close();
        RealWal.deleteTree(dataDir);
    }

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        sk = new SafekeeperClient(httpPort, channel);
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    static Lsn start() {
        return real.recordStarts().get(3);
    }

    static void electAndStream(TestProposer p, TenantTimelineId ttid, Lsn end) throws Exception {
        p.electAndStream(ttid, real, start(), end);
    }

    @Test
    void storesRealWalByteForByteAndServesItBack() throws Exception {
        var ttid = TenantTimelineId.generate();
        sk.createTimeline(ttid, start(), real.systemId());
        try (var p = new TestProposer(channel)) {
            electAndStream(p, ttid, real.end());
        }
        var status = sk.http("GET", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId(), null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"flush_lsn\":\"" + real.end() + "\"")
                .contains("\"commit_lsn\":\"" + real.end() + "\"").contains("\"term\":1").contains("\"epoch\":1");
        // the segment files hold Postgres's bytes
        Path tlDir = dataDir.resolve(ttid.tenantId().toString()).resolve(ttid.timelineId().toString());
        int seg = RealWal.SEGMENT_SIZE;
        long firstSeg = start().segmentNumber(seg);
        byte[] full = Files.readAllBytes(tlDir.resolve(WalFormat.segmentFileName(firstSeg + 1, seg)));
        assertThat(Arrays.equals(full, real.bytes(Lsn.ofSegment(firstSeg + 1, seg), Lsn.ofSegment(firstSeg + 2, seg))))
                .isTrue();
        // StreamWal returns the same bytes, in chunks within pages and segments
        var streamed = sk.stream(ttid, start(), real.end());
        assertThat(Arrays.equals(streamed.bytes(), real.bytes(start(), real.end()))).isTrue();
        for (long[] c : streamed.chunks()) {
            assertThat(c[1]).isLessThanOrEqualTo(128 * 1024);
            assertThat(Lsn.of(c[0]).segmentNumber(seg)).isEqualTo(Lsn.of(c[0] + c[1] - 1).segmentNumber(seg));
        }
        var grpcStatus = SafekeeperWalGrpc.newBlockingStub(channel).getTimelineStatus(GetTimelineStatusRequest
                .newBuilder().setTtid(ProtoMapping.toProto(ttid)).setUncommitted(true).build());
        assertThat(grpcStatus.getExists()).isTrue();
        assertThat(grpcStatus.getFlushLsn()).isEqualTo(real.end().value());
        assertThat(grpcStatus.getSystemId()).isEqualTo(real.systemId());
        assertThat(grpcStatus.getLastLogTerm()).isEqualTo(1);
    }

    @Test
    void refusesBadInputWithClearStatusesAndStaysUsable() throws Exception {
        var ttid = TenantTimelineId.generate();
        sk.createTimeline(ttid, start(), real.systemId());
        try (var p = new TestProposer(channel)) {
            p.vote(1);
            assertThat(p.nextEnd().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        try (var p = new TestProposer(channel)) {
            p.greet(TenantTimelineId.generate(), real.systemId(), 150002);
            assertThat(p.nextEnd().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
        try (var p = new TestProposer(channel)) {
            p.greet(ttid, real.systemId() + 1, 150002);
            Status s = p.nextEnd();
            assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(s.getDescription()).contains("system id");
        }
        try (var p = new TestProposer(channel)) {
            p.send(ProposerMessage.newBuilder().setVoteRequest(VoteRequest.newBuilder().setTerm(1)).build());
            p.send(ProposerMessage.getDefaultInstance());
            assertThat(p.nextEnd().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        Lsn mid = real.recordStarts().get(200);
        try (var p = new TestProposer(channel)) {
            electAndStream(p, ttid, mid);
            // a gap: begins past the end of WAL
            p.append(1, mid.plus(8), new byte[16], Lsn.INVALID);
            Status gap = p.nextEnd();
            assertThat(gap.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(gap.getDescription()).contains("no gaps");
        }
        try (var newer = new TestProposer(channel); var stale = new TestProposer(channel)) {
            newer.greet(ttid, real.systemId(), 150002);
            newer.nextMessage();
            newer.vote(2);
            var vote = newer.nextMessage().getVoteResponse();
            assertThat(vote.getVoteGiven()).isTrue();
            assertThat(vote.getFlushLsn()).isEqualTo(mid.value());
            stale.greet(ttid, real.systemId(), 150002);
            assertThat(stale.nextMessage().getGreeting().getTerm()).isEqualTo(2);
            stale.append(1, mid, real.bytes(mid, real.recordStarts().get(201)), Lsn.INVALID);
            var refusal = stale.nextMessage().getAppendResponse();
            assertThat(refusal.getTerm()).isEqualTo(2);
            assertThat(refusal.getFlushLsn()).isZero();
            // the winner of term 2 continues the log
            newer.elected(2, mid, List.of(new long[] {0, start().value()}, new long[] {1, start().value()},
                    new long[] {2, mid.value()}));
            Lsn next = real.recordStarts().stream().filter(l -> l.isAfter(mid) && l.minus(mid) < 100_000)
                    .reduce((a, b) -> b).orElseThrow();
            newer.append(2, mid, real.bytes(mid, next), next);
            AcceptorMessage m;
            do {
                m = newer.nextMessage();
            } while (m.getAppendResponse().getFlushLsn() != next.value());
            assertThat(m.getAppendResponse().getTerm()).isEqualTo(2);
        }
        var list = sk.http("GET", "/v1/tenant/timeline", null);
        assertThat(list.body()).contains(ttid.timelineId().toString());
        assertThat(sk.http("GET", "/v1/tenant/nothex/timeline/" + ttid.timelineId(), null).statusCode()).isEqualTo(400);
        assertThat(sk.http("GET", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + TenantTimelineId.generate()
                .timelineId(), null).statusCode()).isEqualTo(404);
        var bad = sk.http("POST", "/v1/tenant/timeline", "{\"tenant_id\":\"" + ttid.tenantId()
                + "\",\"timeline_id\":\"" + ttid.timelineId() + "\",\"pg_version\":150000,\"start_lsn\":\"zz\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"msg\"");
        var deleted = sk.http("DELETE", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId(), null);
        assertThat(deleted.body()).isEqualTo("{\"dir_existed\":true}");
        assertThat(sk.http("GET", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId(), null)
                .statusCode()).isEqualTo(404);
    }
}
