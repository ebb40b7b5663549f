package dev.jneon.safekeeper.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.RealWal;
import dev.jneon.safekeeper.SafekeeperApplication;
import dev.jneon.safekeeper.grpc.SafekeeperClient;
import dev.jneon.safekeeper.grpc.TestProposer;
import dev.jneon.safekeeper.peers.Peers;
import dev.jneon.safekeeper.timeline.Timelines;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * pull_timeline and the snapshot route between two safekeepers in this JVM: the test's context is
 * the source (node 1, fed real PostgreSQL 15 WAL), a second application context is the empty
 * destination (node 2). The copy holds the same WAL and state, serves it and takes a new proposer;
 * automatic recovery pulls a timeline a peer publishes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"jneon.grpc.port=0", "jneon.node.id=1"})
class PullTimelineIT {

    static RealWal real;
    static Path sourceDir;
    static Path destDir;
    static ConfigurableApplicationContext dest;

    @LocalServerPort
    int httpPort;
    @Autowired
    GrpcServer grpc;
    ManagedChannel sourceChannel;
    ManagedChannel destChannel;
    SafekeeperClient source;
    SafekeeperClient destination;

    @DynamicPropertySource
    static void dirs(DynamicPropertyRegistry registry) throws Exception {
        sourceDir = Files.createTempDirectory("jneon-sk-pull-source");
        registry.add("jneon.safekeeper.data-dir", sourceDir::toString);
    }

    @BeforeAll
    static void start() throws Exception {
        real = RealWal.create();
        destDir = Files.createTempDirectory("jneon-sk-pull-dest");
        dest = new SpringApplicationBuilder(SafekeeperApplication.class).run("--server.port=0", "--jneon.grpc.port=0",
                "--jneon.node.id=2", "--jneon.safekeeper.data-dir=" + destDir);
    }

    @AfterAll
    static void stop() throws Exception {
        dest.close();
        real.close();
        RealWal.deleteTree(destDir);
        RealWal.deleteTree(sourceDir);
    }

    @BeforeEach
    void connect() {
        sourceChannel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        source = new SafekeeperClient(httpPort, sourceChannel);
        destChannel = ManagedChannelBuilder.forAddress("127.0.0.1", dest.getBean(GrpcServer.class).port())
                .usePlaintext().build();
        destination = new SafekeeperClient(dest.getEnvironment().getProperty("local.server.port", Integer.class),
                destChannel);
    }

    @AfterEach
    void disconnect() {
        sourceChannel.shutdownNow();
        destChannel.shutdownNow();
    }

    static Lsn startLsn() {
        return real.recordStarts().get(3);
    }

    String pullBody(TenantTimelineId ttid) {
        return "{\"tenant_id\":\"" + ttid.tenantId() + "\",\"timeline_id\":\"" + ttid.timelineId()
                + "\",\"http_hosts\":[\"http://127.0.0.1:" + httpPort + "\"]}";
    }

    String status(SafekeeperClient sk, TenantTimelineId ttid) throws Exception {
        var r = sk.http("GET", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void pullCopiesStateAndWalThatThenServesAndTakesANewProposer() throws Exception {
        var ttid = TenantTimelineId.generate();
        source.createTimeline(ttid, startLsn(), real.systemId());
        try (var p = new TestProposer(sourceChannel)) {
            p.electAndStream(ttid, real, startLsn(), real.end());
        }
        var pulled = destination.http("POST", "/v1/pull_timeline", pullBody(ttid));
        assertThat(pulled.statusCode()).as(pulled.body()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo("{\"safekeeper_host\":\"http://127.0.0.1:" + httpPort + "\"}");
        var again = destination.http("POST", "/v1/pull_timeline", pullBody(ttid));
        assertThat(again.body()).as("an existing timeline is left alone").isEqualTo("{\"safekeeper_host\":null}");

        String copied = status(destination, ttid);
        for (String field : List.of("\"flush_lsn\":\"" + real.end() + "\"", "\"commit_lsn\":\"" + real.end() + "\"",
                "\"term\":1", "\"epoch\":1", "\"timeline_start_lsn\":\"" + startLsn() + "\"")) {
            assertThat(copied).contains(field);
        }
        var streamed = destination.stream(ttid, startLsn(), real.end());
        assertThat(Arrays.equals(streamed.bytes(), real.bytes(startLsn(), real.end()))).isTrue();

        try (var p = new TestProposer(destChannel)) {
            p.greet(ttid, real.systemId(), 150002);
            assertThat(p.nextMessage().getGreeting().getTerm()).isEqualTo(1);
            p.vote(2);
            var vote = p.nextMessage().getVoteResponse();
            assertThat(vote.getVoteGiven()).isTrue();
            assertThat(vote.getFlushLsn()).as("the copy's WAL ends where the source's did").isEqualTo(real.end().value());
            assertThat(vote.getTermHistoryCount()).isEqualTo(2);
        }
    }

    @Test
    void pullOfATimelineNoPeerHasIsUnavailable() throws Exception {
        var r = destination.http("POST", "/v1/pull_timeline", pullBody(TenantTimelineId.generate()));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("only 0 of 1 safekeepers answered");
    }

    @Test
    void automaticRecoveryPullsATimelineAPeerPublishes() throws Exception {
        var ttid = TenantTimelineId.generate();
        Lsn end = real.recordStarts().get(5000);
        source.createTimeline(ttid, startLsn(), real.systemId());
        try (var p = new TestProposer(sourceChannel)) {
            p.electAndStream(ttid, real, startLsn(), end);
        }
        var peers = new Peers();
        Timelines destTimelines = dest.getBean(Timelines.class);
        try (var recovery = new TimelineRecovery(destTimelines, peers, dest.getBean(PullTimeline.class), NodeId.of(2),
                Duration.ofMillis(200))) {
            peers.record(new SafekeeperTimelineInfo(NodeId.of(1), ttid, 1, 1, end, end, startLsn(), startLsn(),
                    startLsn(), startLsn(), Lsn.INVALID, "127.0.0.1:" + grpc.port(), "127.0.0.1:" + httpPort,
                    Optional.empty(), Optional.empty()));
            for (int i = 0; i < 600 && destTimelines.get(ttid).isEmpty(); i++) { // hang guard
                Thread.sleep(100);
            }
        }
        assertThat(destTimelines.get(ttid)).as("pulled by automatic recovery").isPresent();
        assertThat(status(destination, ttid)).contains("\"flush_lsn\":\"" + end + "\"");
    }
}
