package dev.jneon.safekeeper.grpc;

import dev.jneon.common.id.Lsn;
import dev.jneon.safekeeper.acceptor.AcceptorMessage;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AcceptorGreeting;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.AppendResponse;
import dev.jneon.safekeeper.acceptor.AcceptorMessage.VoteResponse;
import dev.jneon.safekeeper.acceptor.HotStandbyFeedback;
import dev.jneon.safekeeper.acceptor.PageserverFeedback;
import dev.jneon.safekeeper.acceptor.ProposerMessage;
import dev.jneon.safekeeper.acceptor.ProposerMessage.AppendRequest;
import dev.jneon.safekeeper.acceptor.ProposerMessage.Greeting;
import dev.jneon.safekeeper.acceptor.ProposerMessage.ProposerElected;
import dev.jneon.safekeeper.acceptor.ProposerMessage.VoteRequest;
import dev.jneon.safekeeper.acceptor.Term;

/**
 * Validating conversion of WalPush messages between protobuf and the domain's sealed records.
 * Malformed input (no oneof case, bad ids, inconsistent lengths, empty history) is an
 * {@link IllegalArgumentException}. Stateless.
 */
public final class WalPushMessages {

    private WalPushMessages() {
    }

    public static ProposerMessage fromProto(dev.jneon.api.safekeeper.ProposerMessage p) {
        return switch (p.getMsgCase()) {
            case GREETING -> {
                var g = p.getGreeting();
                if (!g.hasTtid()) {
                    throw new IllegalArgumentException("greeting has no ttid");
                }
                yield new Greeting(ProtoMapping.ttid(g.getTtid()), ProtoMapping.configuration(g.getMconf()),
                        g.getPgVersion(), g.getSystemId(), g.getWalSegSize());
            }
            case VOTE_REQUEST -> new VoteRequest(Integer.toUnsignedLong(p.getVoteRequest().getGeneration()),
                    Term.of(p.getVoteRequest().getTerm()));
            case ELECTED -> {
                var e = p.getElected();
                yield new ProposerElected(Integer.toUnsignedLong(e.getGeneration()), Term.of(e.getTerm()),
                        Lsn.of(e.getStartStreamingAt()), ProtoMapping.termHistory(e.getTermHistoryList()));
            }
            case APPEND -> {
                var a = p.getAppend();
                yield new AppendRequest(Integer.toUnsignedLong(a.getGeneration()), Term.of(a.getTerm()),
                        Lsn.of(a.getBeginLsn()), Lsn.of(a.getEndLsn()), Lsn.of(a.getCommitLsn()),
                        Lsn.of(a.getTruncateLsn()), a.getWalData().toByteArray());
            }
            case MSG_NOT_SET -> throw new IllegalArgumentException("proposer message carries no message");
        };
    }

    public static dev.jneon.api.safekeeper.AcceptorMessage toProto(AcceptorMessage m) {
        var b = dev.jneon.api.safekeeper.AcceptorMessage.newBuilder();
        switch (m) {
            case AcceptorGreeting g -> b.setGreeting(dev.jneon.api.safekeeper.AcceptorGreeting.newBuilder()
                    .setNodeId(g.nodeId().value()).setMconf(ProtoMapping.toProto(g.mconf())).setTerm(g.term().value()));
            case VoteResponse v -> b.setVoteResponse(dev.jneon.api.safekeeper.VoteResponse.newBuilder()
                    .setGeneration((int) v.generation()).setTerm(v.term().value()).setVoteGiven(v.voteGiven())
                    .setFlushLsn(v.flushLsn().value()).setTruncateLsn(v.truncateLsn().value())
                    .addAllTermHistory(ProtoMapping.toProto(v.termHistory())));
            case AppendResponse r -> {
                var rb = dev.jneon.api.safekeeper.AppendResponse.newBuilder().setGeneration((int) r.generation())
                        .setTerm(r.term().value()).setFlushLsn(r.flushLsn().value())
                        .setCommitLsn(r.commitLsn().value()).setHsFeedback(toProto(r.hsFeedback()));
                r.pageserverFeedback().ifPresent(f -> rb.setPageserverFeedback(toProto(f)));
                b.setAppendResponse(rb);
            }
        }
        return b.build();
    }

    static dev.jneon.api.safekeeper.HotStandbyFeedback toProto(HotStandbyFeedback f) {
        return dev.jneon.api.safekeeper.HotStandbyFeedback.newBuilder().setTs(f.ts()).setXmin(f.xmin())
                .setCatalogXmin(f.catalogXmin()).build();
    }

    static HotStandbyFeedback fromProto(dev.jneon.api.safekeeper.HotStandbyFeedback f) {
        return new HotStandbyFeedback(f.getTs(), f.getXmin(), f.getCatalogXmin());
    }

    static dev.jneon.api.safekeeper.PageserverFeedback toProto(PageserverFeedback f) {
        return dev.jneon.api.safekeeper.PageserverFeedback.newBuilder()
                .setCurrentTimelineSize(f.currentTimelineSize()).setLastReceivedLsn(f.lastReceivedLsn().value())
                .setDiskConsistentLsn(f.diskConsistentLsn().value())
                .setRemoteConsistentLsn(f.remoteConsistentLsn().value()).setReplytimeUs(f.replytimeUs())
                .setShardNumber(f.shardNumber()).setCorruptionDetected(f.corruptionDetected()).build();
    }

    static PageserverFeedback fromProto(dev.jneon.api.safekeeper.PageserverFeedback f) {
        return new PageserverFeedback(f.getCurrentTimelineSize(), Lsn.of(f.getLastReceivedLsn()),
                Lsn.of(f.getDiskConsistentLsn()), Lsn.of(f.getRemoteConsistentLsn()), f.getReplytimeUs(),
                f.getShardNumber(), f.getCorruptionDetected());
    }
}
