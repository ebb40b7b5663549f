package dev.jneon.safekeeper.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.timeline.TimelineStatus;
import java.util.List;

/** {@code GET /v1/tenant/{t}/timeline/{tl}} (spec I), in-memory LSNs. Immutable. */
record TimelineStatusJson(@JsonProperty("tenant_id") TenantId tenantId, @JsonProperty("timeline_id") TimelineId timelineId,
        ConfigurationJson mconf, @JsonProperty("acceptor_state") AcceptorStateJson acceptorState,
        @JsonProperty("pg_info") PgInfo pgInfo, @JsonProperty("flush_lsn") Lsn flushLsn,
        @JsonProperty("timeline_start_lsn") Lsn timelineStartLsn, @JsonProperty("local_start_lsn") Lsn localStartLsn,
        @JsonProperty("commit_lsn") Lsn commitLsn, @JsonProperty("backup_lsn") Lsn backupLsn,
        @JsonProperty("peer_horizon_lsn") Lsn peerHorizonLsn,
        @JsonProperty("remote_consistent_lsn") Lsn remoteConsistentLsn, List<Object> peers,
        List<WalSender> walsenders, List<WalReceiver> walreceivers) {

    record AcceptorStateJson(long term, long epoch, @JsonProperty("term_history") List<TermLsn> termHistory) {}

    record TermLsn(long term, Lsn lsn) {}

    record PgInfo(@JsonProperty("pg_version") int pgVersion, @JsonProperty("system_id") long systemId,
            @JsonProperty("wal_seg_size") int walSegSize) {}

    record WalSender(@JsonProperty("conn_id") long connId, @JsonProperty("appname") String appName,
            @JsonProperty("start_lsn") Lsn startLsn, @JsonProperty("sent_lsn") Lsn sentLsn,
            @JsonProperty("feedback_lsn") Lsn feedbackLsn, @JsonProperty("remote_consistent_lsn") Lsn remoteConsistentLsn) {}

    record WalReceiver(@JsonProperty("conn_id") long connId, String status) {}

    static TimelineStatusJson of(TimelineStatus s) {
        AcceptorState st = s.state();
        return new TimelineStatusJson(st.ttid().tenantId(), st.ttid().timelineId(), ConfigurationJson.of(st.mconf()),
                new AcceptorStateJson(s.term().value(), s.lastLogTerm().value(), st.termHistory().entries().stream()
                        .map(e -> new TermLsn(e.term().value(), e.lsn())).toList()),
                new PgInfo(st.server().pgVersion(), st.server().systemId(), st.server().walSegSize()), s.flushLsn(),
                st.timelineStartLsn(), st.localStartLsn(), s.commitLsn(), s.backupLsn(), s.peerHorizonLsn(),
                s.remoteConsistentLsn(), List.of(),
                s.consumers().stream().map(c -> new WalSender(c.connId(), c.applicationName(), c.startLsn(), c.sentLsn(),
                        c.lastFeedbackLsn(), c.remoteConsistentLsn())).toList(),
                s.receivers().stream().map(r -> new WalReceiver(r.connId(), r.status())).toList());
    }
}
