package dev.jneon.pageserver.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineSizes;
import dev.jneon.pageserver.timeline.TimelineState;
import dev.jneon.pageserver.walreceiver.WalReceiver;
import java.util.Map;

/**
 * Neon's TimelineInfo (spec F.2). {@code remote_consistent_lsn} is the disk_consistent_lsn of the
 * newest uploaded index (0/0 without remote storage); {@code remote_consistent_lsn_visible} equals it
 * ([jneon] no controller validates generations). The WAL receiver fields ({@code wal_source_connstr},
 * {@code last_received_msg_lsn}, {@code last_received_msg_ts} in µs since the Unix epoch,
 * {@code walreceiver_status}) are null when no receiver runs. Immutable.
 */
public record TimelineInfo(
        @JsonProperty("tenant_id") TenantShardId tenantId,
        @JsonProperty("timeline_id") TimelineId timelineId,
        @JsonProperty("ancestor_timeline_id") TimelineId ancestorTimelineId,
        @JsonProperty("ancestor_lsn") Lsn ancestorLsn,
        @JsonProperty("last_record_lsn") Lsn lastRecordLsn,
        @JsonProperty("prev_record_lsn") Lsn prevRecordLsn,
        @JsonProperty("applied_gc_cutoff_lsn") Lsn appliedGcCutoffLsn,
        @JsonProperty("latest_gc_cutoff_lsn") Lsn latestGcCutoffLsn,
        @JsonProperty("min_readable_lsn") Lsn minReadableLsn,
        @JsonProperty("disk_consistent_lsn") Lsn diskConsistentLsn,
        @JsonProperty("remote_consistent_lsn") Lsn remoteConsistentLsn,
        @JsonProperty("remote_consistent_lsn_visible") Lsn remoteConsistentLsnVisible,
        @JsonProperty("initdb_lsn") Lsn initdbLsn,
        @JsonProperty("current_logical_size") long currentLogicalSize,
        @JsonProperty("current_logical_size_is_accurate") boolean currentLogicalSizeIsAccurate,
        @JsonProperty("current_physical_size") long currentPhysicalSize,
        @JsonProperty("wal_source_connstr") String walSourceConnstr,
        @JsonProperty("last_received_msg_lsn") Lsn lastReceivedMsgLsn,
        @JsonProperty("last_received_msg_ts") Long lastReceivedMsgTs,
        @JsonProperty("pg_version") PgMajorVersion pgVersion,
        @JsonProperty("state") Object state,
        @JsonProperty("walreceiver_status") String walreceiverStatus,
        @JsonProperty("is_archived") boolean isArchived) {

    public static TimelineInfo of(Timeline t) {
        return of(t, null);
    }

    /** With the state of the timeline's WAL receiver, if one runs ({@code receiver} may be null). */
    public static TimelineInfo of(Timeline t, WalReceiver.Status receiver) {
        var record = t.recordLsn();
        Lsn ancestorLsn = t.ancestor() == null ? null : t.ancestorLsn();
        Lsn minReadable = Lsn.max(t.gcCutoffLsn(), ancestorLsn != null ? ancestorLsn : t.initdbLsn());
        Object state = t.state() == TimelineState.BROKEN
                ? Map.of("Broken", Map.of("reason", String.valueOf(t.brokenReason()), "backtrace", ""))
                : t.state().apiName();
        long logical = t.state() == TimelineState.ACTIVE ? TimelineSizes.logicalSize(t, record.last()) : 0;
        return new TimelineInfo(t.tenantShardId(), t.timelineId(), t.ancestor() == null ? null : t.ancestor().timelineId(),
                ancestorLsn, record.last(), record.prev().isValid() ? record.prev() : null, t.gcCutoffLsn(), t.gcCutoffLsn(),
                minReadable, t.diskConsistentLsn(), t.remoteConsistentLsn(), t.remoteConsistentLsn(), t.initdbLsn(), logical,
                t.state() == TimelineState.ACTIVE, TimelineSizes.physicalSize(t),
                receiver == null ? null : receiver.walSourceConnstr(),
                receiver == null || !receiver.lastReceivedLsn().isValid() ? null : receiver.lastReceivedLsn(),
                receiver == null || receiver.lastReceivedAt() == null ? null
                        : java.util.concurrent.TimeUnit.MILLISECONDS.toMicros(receiver.lastReceivedAt().toEpochMilli()),
                t.pgVersion(), state,
                receiver == null ? null : receiver.walSourceConnstr() == null ? "Connecting" : "Streaming", false);
    }
}
