package dev.jneon.safekeeper.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jneon.api.safekeeper.ControlFile;
import dev.jneon.api.safekeeper.ServerInfo;
import dev.jneon.common.id.Lsn;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.Term;

/**
 * The payload of control-file format version 1: one serialized protobuf {@code ControlFile}
 * (safekeeper_control.proto, spec D.5). Fields this version never fills (partial_backup, eviction)
 * are written empty and ignored on read; proposer_uuid is written as 16 zero bytes. Stateless.
 */
public final class ControlFilePayload {

    private static final ByteString NO_PROPOSER_UUID = ByteString.copyFrom(new byte[16]);

    private ControlFilePayload() {
    }

    public static byte[] encode(AcceptorState s) {
        return ControlFile.newBuilder()
                .setTenantId(ByteString.copyFrom(s.ttid().tenantId().toBytes()))
                .setTimelineId(ByteString.copyFrom(s.ttid().timelineId().toBytes()))
                .setMconf(ProtoMapping.toProto(s.mconf()))
                .setTerm(s.term().value())
                .addAllTermHistory(ProtoMapping.toProto(s.termHistory()))
                .setServer(ServerInfo.newBuilder().setPgVersion(s.server().pgVersion())
                        .setSystemId(s.server().systemId()).setWalSegSize(s.server().walSegSize()))
                .setProposerUuid(NO_PROPOSER_UUID)
                .setTimelineStartLsn(s.timelineStartLsn().value())
                .setLocalStartLsn(s.localStartLsn().value())
                .setCommitLsn(s.commitLsn().value())
                .setBackupLsn(s.backupLsn().value())
                .setPeerHorizonLsn(s.peerHorizonLsn().value())
                .setRemoteConsistentLsn(s.remoteConsistentLsn().value())
                .setCreationTsUs(s.creationTsUs())
                .build().toByteArray();
    }

    /** Decodes a payload; a malformed one is an {@link IllegalArgumentException}. */
    public static AcceptorState decode(byte[] payload) {
        ControlFile p;
        try {
            p = ControlFile.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("control file payload is not a ControlFile message: " + e.getMessage());
        }
        var ttid = new dev.jneon.common.id.TenantTimelineId(
                dev.jneon.common.id.TenantId.fromBytes(p.getTenantId().toByteArray()),
                dev.jneon.common.id.TimelineId.fromBytes(p.getTimelineId().toByteArray()));
        return new AcceptorState(ttid, ProtoMapping.configuration(p.getMconf()), Term.of(p.getTerm()),
                ProtoMapping.termHistory(p.getTermHistoryList()),
                new dev.jneon.safekeeper.acceptor.ServerInfo(p.getServer().getPgVersion(),
                        p.getServer().getSystemId(), p.getServer().getWalSegSize()),
                Lsn.of(p.getTimelineStartLsn()), Lsn.of(p.getLocalStartLsn()), Lsn.of(p.getCommitLsn()),
                Lsn.of(p.getBackupLsn()), Lsn.of(p.getPeerHorizonLsn()), Lsn.of(p.getRemoteConsistentLsn()),
                p.getCreationTsUs());
    }
}
