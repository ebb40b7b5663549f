package dev.jneon.compute.walproposer;

import com.google.protobuf.ByteString;
import dev.jneon.api.safekeeper.AcceptorGreeting;
import dev.jneon.api.safekeeper.AppendResponse;
import dev.jneon.api.safekeeper.GetTimelineStatusRequest;
import dev.jneon.api.safekeeper.GetTimelineStatusResponse;
import dev.jneon.api.safekeeper.MembershipConfiguration;
import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.StreamWalClientMessage;
import dev.jneon.api.safekeeper.StreamWalServerMessage;
import dev.jneon.api.safekeeper.TermSwitch;
import dev.jneon.api.safekeeper.VoteResponse;
import dev.jneon.api.safekeeper.WalData;
import dev.jneon.common.id.Lsn;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AcceptorModel} served over real gRPC on 127.0.0.1 (WalPush and StreamWal of
 * safekeeper_wal.proto), with two test switches: {@link #stall} holds back append responses (the
 * WAL is taken, the acknowledgement waits) and {@link #down} refuses new streams. Thread-safe: the
 * model is guarded by {@code this}.
 */
final class LoopbackSafekeeper implements AutoCloseable {

    final AcceptorModel model;
    private final Server server;
    private volatile boolean stalled;
    private volatile boolean down;
    /** A safety check of the model that failed (e.g. truncation below commit), kept for the test to assert on. */
    volatile AssertionError violation;

    LoopbackSafekeeper(long nodeId, Lsn timelineStart) throws IOException {
        this.model = new AcceptorModel(nodeId, timelineStart);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .addService(new Service())
                .build()
                .start();
    }

    SafekeeperAddress address() {
        return new SafekeeperAddress("127.0.0.1", server.getPort());
    }

    void stall(boolean on) {
        synchronized (this) {
            stalled = on;
            notifyAll();
        }
    }

    void down(boolean on) {
        down = on;
    }

    synchronized Lsn flush() {
        return model.flush;
    }

    synchronized Lsn commit() {
        return model.commit;
    }

    synchronized Lsn peerHorizon() {
        return model.peerHorizon;
    }

    synchronized long term() {
        return model.term;
    }

    synchronized byte[] bytes(Lsn begin, Lsn end) {
        return model.bytes(begin, end);
    }

    private final class Service extends SafekeeperWalGrpc.SafekeeperWalImplBase {
        @Override
        public StreamObserver<dev.jneon.api.safekeeper.ProposerMessage> walPush(
                StreamObserver<dev.jneon.api.safekeeper.AcceptorMessage> responses) {
            if (down) {
                responses.onError(Status.UNAVAILABLE.withDescription("test safekeeper is down").asException());
                return new StreamObserver<>() {
                    public void onNext(dev.jneon.api.safekeeper.ProposerMessage value) { }
                    public void onError(Throwable t) { }
                    public void onCompleted() { }
                };
            }
            return new StreamObserver<>() {
                private boolean ended;

                @Override
                public void onNext(dev.jneon.api.safekeeper.ProposerMessage value) {
                    if (ended) {
                        return;
                    }
                    dev.jneon.api.safekeeper.AcceptorMessage reply;
                    try {
                        reply = process(value);
                        if (reply != null && reply.hasAppendResponse()) {
                            awaitUnstalled();
                        }
                    } catch (AssertionError e) {
                        violation = e;
                        ended = true;
                        responses.onError(Status.INTERNAL.withDescription(e.getMessage()).asException());
                        return;
                    } catch (IllegalStateException | InterruptedException e) {
                        ended = true;
                        responses.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asException());
                        return;
                    }
                    if (reply != null) {
                        responses.onNext(reply);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    ended = true;
                }

                @Override
                public void onCompleted() {
                    if (!ended) {
                        ended = true;
                        responses.onCompleted();
                    }
                }
            };
        }

        @Override
        public StreamObserver<StreamWalClientMessage> streamWal(StreamObserver<StreamWalServerMessage> responses) {
            var call = (ServerCallStreamObserver<StreamWalServerMessage>) responses;
            return new StreamObserver<>() {
                @Override
                public void onNext(StreamWalClientMessage value) {
                    if (value.hasStart()) {
                        long term = value.getStart().getTerm();
                        Lsn start = Lsn.of(value.getStart().getStartLsn());
                        Thread.ofVirtual().start(() -> serve(call, term, start));
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }

        @Override
        public void getTimelineStatus(GetTimelineStatusRequest request,
                StreamObserver<GetTimelineStatusResponse> responses) {
            responses.onError(Status.UNIMPLEMENTED.asException());
        }
    }

    /** Streams WAL from {@code start} while our term is {@code term}, as StreamWal with a term does. */
    private void serve(ServerCallStreamObserver<StreamWalServerMessage> call, long term, Lsn start) {
        Lsn at = start;
        try {
            while (!call.isCancelled()) {
                byte[] chunk;
                synchronized (this) {
                    if (model.term != term) {
                        call.onError(Status.FAILED_PRECONDITION.withDescription("term changed").asException());
                        return;
                    }
                    Lsn end = Lsn.min(model.flush, at.plus(ProposerMessage.Append.MAX_SEND_SIZE));
                    chunk = end.isAfter(at) ? model.bytes(at, end) : null;
                    if (chunk == null) {
                        wait(50);
                        continue;
                    }
                }
                call.onNext(StreamWalServerMessage.newBuilder().setWalData(WalData.newBuilder()
                        .setWalStart(at.value()).setWalEnd(at.value() + chunk.length)
                        .setData(ByteString.copyFrom(chunk))).build());
                at = at.plus(chunk.length);
            }
        } catch (InterruptedException | RuntimeException e) {
            // the reader went away
        }
    }

    private void awaitUnstalled() throws InterruptedException {
        synchronized (this) {
            while (stalled) {
                wait();
            }
        }
    }

    private synchronized dev.jneon.api.safekeeper.AcceptorMessage process(dev.jneon.api.safekeeper.ProposerMessage m) {
        AcceptorMessage reply = model.handle(ProtoForm.fromProto(m));
        notifyAll();
        return reply == null ? null : ProtoForm.toProto(reply);
    }

    @Override
    public void close() throws InterruptedException {
        stall(false);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Proto conversion for the acceptor's side (the reverse of the main code's codec). */
    static final class ProtoForm {
        static ProposerMessage fromProto(dev.jneon.api.safekeeper.ProposerMessage m) {
            return switch (m.getMsgCase()) {
                case GREETING -> new ProposerMessage.Greeting(
                        new dev.jneon.common.id.TenantTimelineId(
                                dev.jneon.common.id.TenantId.fromBytes(m.getGreeting().getTtid().getTenantId().toByteArray()),
                                dev.jneon.common.id.TimelineId.fromBytes(m.getGreeting().getTtid().getTimelineId().toByteArray())),
                        m.getGreeting().getMconf().getGeneration(),
                        new dev.jneon.common.pg.PgVersionId(m.getGreeting().getPgVersion()),
                        m.getGreeting().getSystemId(), m.getGreeting().getWalSegSize());
                case VOTE_REQUEST -> new ProposerMessage.VoteRequest(m.getVoteRequest().getGeneration(),
                        m.getVoteRequest().getTerm());
                case ELECTED -> new ProposerMessage.Elected(m.getElected().getGeneration(), m.getElected().getTerm(),
                        Lsn.of(m.getElected().getStartStreamingAt()), history(m.getElected().getTermHistoryList()));
                case APPEND -> {
                    var a = m.getAppend();
                    yield new ProposerMessage.Append(a.getGeneration(), a.getTerm(), Lsn.of(a.getBeginLsn()),
                            Lsn.of(a.getEndLsn()), Lsn.of(a.getCommitLsn()), Lsn.of(a.getTruncateLsn()),
                            a.getWalData().toByteArray());
                }
                case MSG_NOT_SET -> throw new IllegalStateException("empty proposer message");
            };
        }

        static dev.jneon.api.safekeeper.AcceptorMessage toProto(AcceptorMessage m) {
            var b = dev.jneon.api.safekeeper.AcceptorMessage.newBuilder();
            switch (m) {
                case AcceptorMessage.Greeting g -> b.setGreeting(AcceptorGreeting.newBuilder().setNodeId(g.nodeId())
                        .setMconf(MembershipConfiguration.newBuilder().setGeneration(g.generation())).setTerm(g.term()));
                case AcceptorMessage.VoteResponse v -> {
                    var vb = VoteResponse.newBuilder().setGeneration(v.generation()).setTerm(v.term())
                            .setVoteGiven(v.voteGiven()).setFlushLsn(v.flush().value()).setTruncateLsn(v.truncate().value());
                    v.history().entries().forEach(e -> vb.addTermHistory(
                            TermSwitch.newBuilder().setTerm(e.term()).setLsn(e.lsn().value())));
                    b.setVoteResponse(vb);
                }
                case AcceptorMessage.AppendResponse a -> b.setAppendResponse(AppendResponse.newBuilder()
                        .setGeneration(a.generation()).setTerm(a.term()).setFlushLsn(a.flush().value())
                        .setCommitLsn(a.commit().value()));
            }
            return b.build();
        }

        private static TermHistory history(List<TermSwitch> list) {
            return new TermHistory(list.stream().map(e -> new dev.jneon.compute.walproposer.TermSwitch(e.getTerm(),
                    Lsn.of(e.getLsn()))).toList());
        }
    }
}
