package dev.jneon.safekeeper.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jneon.api.safekeeper.AcceptorMessage;
import dev.jneon.api.safekeeper.AppendRequest;
import dev.jneon.api.safekeeper.MembershipConfiguration;
import dev.jneon.api.safekeeper.ProposerElected;
import dev.jneon.api.safekeeper.ProposerGreeting;
import dev.jneon.api.safekeeper.ProposerMessage;
import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.TermSwitch;
import dev.jneon.api.safekeeper.VoteRequest;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.RealWal;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny walproposer for tests: one WalPush stream, messages built from arguments, replies and the
 * final status collected in a queue. Not thread-safe; one test thread drives it.
 */
public final class TestProposer implements AutoCloseable {

    /** The end of the stream: OK or the error status. */
    public record End(Status status) {}

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final StreamObserver<ProposerMessage> requests;
    private long term;

    public TestProposer(Channel channel) {
        requests = SafekeeperWalGrpc.newStub(channel).withWaitForReady().walPush(new StreamObserver<>() {
            @Override
            public void onNext(AcceptorMessage m) {
                received.add(m);
            }

            @Override
            public void onError(Throwable t) {
                received.add(new End(Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                received.add(new End(Status.OK));
            }
        });
    }

    public void send(ProposerMessage m) {
        requests.onNext(m);
    }

    public void greet(TenantTimelineId ttid, long systemId, int pgVersion) {
        send(ProposerMessage.newBuilder().setGreeting(ProposerGreeting.newBuilder().setTtid(ProtoMapping.toProto(ttid))
                .setMconf(MembershipConfiguration.getDefaultInstance()).setPgVersion(pgVersion).setSystemId(systemId)
                .setWalSegSize(16 * 1024 * 1024)).build());
    }

    public void vote(long term) {
        send(ProposerMessage.newBuilder().setVoteRequest(VoteRequest.newBuilder().setTerm(term)).build());
    }

    /** The term of the last elected message sent. */
    public long term() {
        return term;
    }

    public void elected(long term, Lsn start, List<long[]> history) {
        this.term = term;
        var b = ProposerElected.newBuilder().setTerm(term).setStartStreamingAt(start.value());
        history.forEach(h -> b.addTermHistory(TermSwitch.newBuilder().setTerm(h[0]).setLsn(h[1])));
        send(ProposerMessage.newBuilder().setElected(b).build());
    }

    public void append(long term, Lsn begin, byte[] data, Lsn commit) {
        send(ProposerMessage.newBuilder().setAppend(AppendRequest.newBuilder().setTerm(term).setBeginLsn(begin.value())
                .setEndLsn(begin.value() + data.length).setCommitLsn(commit.value())
                .setWalData(ByteString.copyFrom(data))).build());
    }

    /**
     * On a fresh timeline starting at {@code start}: greets, wins term 1 and streams
     * {@code [start, end)} of the real WAL, then a heartbeat committing {@code end}; returns once
     * the safekeeper reported {@code end} flushed after it.
     */
    public void electAndStream(TenantTimelineId ttid, RealWal real, Lsn start, Lsn end) throws Exception {
        greet(ttid, real.systemId(), 150002);
        assertThat(nextMessage().getGreeting().getTerm()).isZero();
        vote(1);
        var vote = nextMessage().getVoteResponse();
        assertThat(vote.getVoteGiven()).isTrue();
        assertThat(vote.getFlushLsn()).isEqualTo(start.value());
        assertThat(vote.getTermHistoryList()).hasSize(1);
        elected(1, start, List.of(new long[] {0, start.value()}, new long[] {1, start.value()}));
        streamFrom(real, start, end);
    }

    /** Appends {@code [from, end)} of the real WAL in term 1 in 128 KiB pieces, then commits {@code end}. */
    public void streamFrom(RealWal real, Lsn from, Lsn end) throws Exception {
        byte[] all = real.bytes(from, end);
        for (int off = 0; off < all.length; off += 128 * 1024) {
            append(1, from.plus(off), Arrays.copyOfRange(all, off, Math.min(all.length, off + 128 * 1024)), Lsn.INVALID);
        }
        awaitFlush(end);
        append(1, end, new byte[0], end); // heartbeat carrying the commit LSN
        awaitFlush(end);
    }

    /** Reads AppendResponses of term 1 until one reports {@code end} flushed. */
    public AcceptorMessage awaitFlush(Lsn end) throws Exception {
        while (true) {
            AcceptorMessage m = nextMessage();
            assertThat(m.hasAppendResponse()).isTrue();
            assertThat(m.getAppendResponse().getTerm()).isEqualTo(1);
            if (m.getAppendResponse().getFlushLsn() == end.value()) {
                return m;
            }
        }
    }

    /** The next reply or {@link End}; fails after 60 s (a hang, not a timing assertion). */
    public Object next() throws InterruptedException {
        Object o = received.poll(60, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no WalPush reply within 60 s");
        }
        return o;
    }

    public AcceptorMessage nextMessage() throws InterruptedException {
        Object o = next();
        if (o instanceof End e) {
            throw new AssertionError("stream ended with " + e.status());
        }
        return (AcceptorMessage) o;
    }

    public Status nextEnd() throws InterruptedException {
        while (true) {
            Object o = next();
            if (o instanceof End e) {
                return e.status();
            }
        }
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the call already ended
        }
    }
}
