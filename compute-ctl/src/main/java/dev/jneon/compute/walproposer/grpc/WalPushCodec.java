package dev.jneon.compute.walproposer.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.jneon.api.safekeeper.AcceptorGreeting;
import dev.jneon.api.safekeeper.AppendRequest;
import dev.jneon.api.safekeeper.AppendResponse;
import dev.jneon.api.safekeeper.MembershipConfiguration;
import dev.jneon.api.safekeeper.ProposerElected;
import dev.jneon.api.safekeeper.ProposerGreeting;
import dev.jneon.api.safekeeper.TenantTimelineId;
import dev.jneon.api.safekeeper.TermSwitch;
import dev.jneon.api.safekeeper.VoteRequest;
import dev.jneon.api.safekeeper.VoteResponse;
import dev.jneon.common.id.Lsn;
import dev.jneon.compute.walproposer.AcceptorMessage;
import dev.jneon.compute.walproposer.ProposerMessage;
import dev.jneon.compute.walproposer.TermHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts the walproposer's domain messages to and from the {@code jneon.safekeeper.v1} protobuf
 * messages (safekeeper_wal.proto). {@code fromProto} validates and throws
 * {@link IllegalArgumentException} on malformed input. Stateless.
 */
public final class WalPushCodec {

    private WalPushCodec() {
    }

    public static dev.jneon.api.safekeeper.ProposerMessage toProto(ProposerMessage message) {
        var b = dev.jneon.api.safekeeper.ProposerMessage.newBuilder();
        switch (message) {
            case ProposerMessage.Greeting g -> b.setGreeting(ProposerGreeting.newBuilder()
                    .setTtid(ttid(g.ttid()))
                    .setMconf(MembershipConfiguration.newBuilder().setGeneration(g.generation()))
                    .setPgVersion(g.pgVersion().value())
                    .setSystemId(g.systemId())
                    .setWalSegSize(g.walSegSize()));
            case ProposerMessage.VoteRequest v -> b.setVoteRequest(VoteRequest.newBuilder()
                    .setGeneration(v.generation()).setTerm(v.term()));
            case ProposerMessage.Elected e -> b.setElected(ProposerElected.newBuilder()
                    .setGeneration(e.generation()).setTerm(e.term())
                    .setStartStreamingAt(e.startStreamingAt().value())
                    .addAllTermHistory(history(e.history())));
            case ProposerMessage.Append a -> b.setAppend(AppendRequest.newBuilder()
                    .setGeneration(a.generation()).setTerm(a.term())
                    .setBeginLsn(a.begin().value()).setEndLsn(a.end().value())
                    .setCommitLsn(a.commit().value()).setTruncateLsn(a.truncate().value())
                    .setWalData(UnsafeByteOperations.unsafeWrap(a.data())));
        }
        return b.build();
    }

    public static AcceptorMessage fromProto(dev.jneon.api.safekeeper.AcceptorMessage message) {
        return switch (message.getMsgCase()) {
            case GREETING -> {
                AcceptorGreeting g = message.getGreeting();
                yield new AcceptorMessage.Greeting(g.getNodeId(), g.getMconf().getGeneration(),
                        g.getMconf().hasNewMembers(), term(g.getTerm()));
            }
            case VOTE_RESPONSE -> {
                VoteResponse v = message.getVoteResponse();
                yield new AcceptorMessage.VoteResponse(v.getGeneration(), term(v.getTerm()), v.getVoteGiven(),
                        Lsn.of(v.getFlushLsn()), Lsn.of(v.getTruncateLsn()), history(v.getTermHistoryList()));
            }
            case APPEND_RESPONSE -> {
                AppendResponse a = message.getAppendResponse();
                yield new AcceptorMessage.AppendResponse(a.getGeneration(), term(a.getTerm()),
                        Lsn.of(a.getFlushLsn()), Lsn.of(a.getCommitLsn()));
            }
            case MSG_NOT_SET -> throw new IllegalArgumentException("acceptor message without content");
        };
    }

    static TenantTimelineId ttid(dev.jneon.common.id.TenantTimelineId ttid) {
        return TenantTimelineId.newBuilder()
                .setTenantId(ByteString.copyFrom(ttid.tenantId().toBytes()))
                .setTimelineId(ByteString.copyFrom(ttid.timelineId().toBytes()))
                .build();
    }

    private static List<TermSwitch> history(TermHistory history) {
        List<TermSwitch> list = new ArrayList<>(history.size());
        for (var e : history.entries()) {
            list.add(TermSwitch.newBuilder().setTerm(e.term()).setLsn(e.lsn().value()).build());
        }
        return list;
    }

    private static TermHistory history(List<TermSwitch> entries) {
        List<dev.jneon.compute.walproposer.TermSwitch> list = new ArrayList<>(entries.size());
        for (TermSwitch e : entries) {
            list.add(new dev.jneon.compute.walproposer.TermSwitch(term(e.getTerm()), Lsn.of(e.getLsn())));
        }
        return new TermHistory(list);
    }

    private static long term(long term) {
        if (term < 0) {
            throw new IllegalArgumentException("term " + Long.toUnsignedString(term) + " is beyond 2^63");
        }
        return term;
    }
}
