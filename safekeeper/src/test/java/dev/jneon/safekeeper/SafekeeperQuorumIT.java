package dev.jneon.safekeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.api.safekeeper.AcceptorMessage;
import dev.jneon.api.safekeeper.VoteResponse;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.grpc.SafekeeperClient;
import dev.jneon.safekeeper.grpc.TestProposer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real safekeeper processes (the packaged jar) and a tiny in-test proposer streaming real
 * PostgreSQL 15 WAL: a quorum of two keeps accepting while the third is killed; the killed one
 * comes back with its state from disk, is caught up by the next term's leader from its own flush
 * LSN, and serves Postgres's exact bytes.
 */
class SafekeeperQuorumIT {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Path base;

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        RealWal.deleteTree(base);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void quorumSurvivesAKilledSafekeeperWhichRecoversFromDisk() throws Exception {
        SafekeeperProcess.jar();
        base = Files.createTempDirectory("jneon-sk-quorum");
        RealWal real = keep(RealWal.create());
        List<SafekeeperProcess> sks = new ArrayList<>();
        List<SafekeeperClient> clients = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            SafekeeperProcess sk = keep(new SafekeeperProcess(i, base));
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", sk.grpcPort()).usePlaintext().build();
            keep(ch::shutdownNow);
            sks.add(sk);
            clients.add(new SafekeeperClient(sk.httpPort(), ch));
        }
        for (SafekeeperProcess sk : sks) {
            sk.awaitReady();
        }
        mark("3 safekeepers up");
        TenantTimelineId ttid = TenantTimelineId.generate();
        Lsn start = real.recordStarts().get(3);
        Lsn mid = real.recordStarts().get(real.recordStarts().size() / 2);
        for (SafekeeperClient c : clients) {
            c.createTimeline(ttid, start, real.systemId());
        }
        // term 1 on all three, stream up to mid
        List<TestProposer> term1 = new ArrayList<>();
        for (SafekeeperClient c : clients) {
            TestProposer p = keep(new TestProposer(c.channel()));
            p.greet(ttid, real.systemId(), 150002);
            p.nextMessage();
            p.vote(1);
            assertThat(p.nextMessage().getVoteResponse().getVoteGiven()).isTrue();
            p.elected(1, start, List.of(new long[] {0, start.value()}, new long[] {1, start.value()}));
            term1.add(p);
        }
        streamTo(term1, real, start, mid);
        mark("term 1 streamed to " + mid);
        // kill safekeeper 3; the other two still take WAL up to the end
        sks.get(2).kill();
        streamTo(term1.subList(0, 2), real, mid, real.end());
        for (TestProposer p : term1) {
            p.close();
        }
        // restart it: its term and WAL come back from disk
        mark("2 of 3 streamed to " + real.end());
        sks.get(2).start();
        mark("safekeeper 3 restarted");
        var status = clients.get(2).http("GET", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId(), null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"term\":1").contains("\"flush_lsn\":\"" + mid + "\"");
        // term 2: vote on all three; safekeeper 3 is caught up from its own flush LSN
        List<TestProposer> term2 = new ArrayList<>();
        List<VoteResponse> votes = new ArrayList<>();
        for (SafekeeperClient c : clients) {
            TestProposer p = keep(new TestProposer(c.channel()));
            p.greet(ttid, real.systemId(), 150002);
            assertThat(p.nextMessage().getGreeting().getTerm()).isEqualTo(1);
            p.vote(2);
            votes.add(p.nextMessage().getVoteResponse());
            term2.add(p);
        }
        assertThat(votes).allMatch(VoteResponse::getVoteGiven);
        assertThat(votes.get(0).getFlushLsn()).isEqualTo(real.end().value());
        assertThat(votes.get(2).getFlushLsn()).isEqualTo(mid.value());
        List<long[]> history = List.of(new long[] {0, start.value()}, new long[] {1, start.value()},
                new long[] {2, real.end().value()});
        for (int i = 0; i < 3; i++) {
            term2.get(i).elected(2, Lsn.of(votes.get(i).getFlushLsn()), history);
        }
        streamTo(term2.subList(2, 3), real, mid, real.end());
        for (TestProposer p : term2) {
            p.append(2, real.end(), new byte[0], real.end());
            awaitFlush(p, real.end(), 2);
        }
        mark("term 2 caught safekeeper 3 up");
        var streamed = clients.get(2).stream(ttid, start, real.end());
        mark("streamed back " + real.end().minus(start) + " bytes");
        assertThat(Arrays.equals(streamed.bytes(), real.bytes(start, real.end()))).isTrue();
        assertThat(sks.get(2).log()).doesNotContain(" ERROR ");
    }

    private long last = System.nanoTime();

    private void mark(String what) {
        long now = System.nanoTime();
        System.out.printf("SafekeeperQuorumIT: %s after %d ms%n", what, (now - last) / 1_000_000);
        last = now;
    }

    private static void streamTo(List<TestProposer> proposers, RealWal real, Lsn from, Lsn to) throws Exception {
        byte[] data = real.bytes(from, to);
        for (int off = 0; off < data.length; off += 128 * 1024) {
            byte[] chunk = Arrays.copyOfRange(data, off, Math.min(data.length, off + 128 * 1024));
            for (TestProposer p : proposers) {
                p.append(p.term(), from.plus(off), chunk, Lsn.INVALID);
            }
        }
        for (TestProposer p : proposers) {
            awaitFlush(p, to, p.term());
        }
    }

    private static void awaitFlush(TestProposer p, Lsn end, long term) throws Exception {
        AcceptorMessage m;
        do {
            m = p.nextMessage();
            assertThat(m.getAppendResponse().getTerm()).isEqualTo(term);
        } while (m.getAppendResponse().getFlushLsn() != end.value());
    }
}
