package dev.jneon.safekeeper.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.Configuration;
import dev.jneon.safekeeper.acceptor.ServerInfo;

/**
 * Body of {@code POST /v1/tenant/timeline}. {@code pg_version} is PG_VERSION_NUM (150013) or a bare
 * major version (15, taken as 150000); {@code system_id} defaults to 0 (learned from the first
 * greeting), {@code wal_seg_size} to 16 MiB, {@code commit_lsn} to {@code start_lsn}, {@code mconf}
 * to generation 0 without members. Immutable.
 */
record TimelineCreateRequest(@JsonProperty("tenant_id") TenantId tenantId,
        @JsonProperty("timeline_id") TimelineId timelineId, ConfigurationJson mconf,
        @JsonProperty("pg_version") Integer pgVersion, @JsonProperty("system_id") Long systemId,
        @JsonProperty("wal_seg_size") Integer walSegSize, @JsonProperty("start_lsn") Lsn startLsn,
        @JsonProperty("commit_lsn") Lsn commitLsn) {

    AcceptorState toState(long nowUs) {
        if (tenantId == null || timelineId == null || pgVersion == null || startLsn == null) {
            throw new ApiError.BadRequest("tenant_id, timeline_id, pg_version and start_lsn are required");
        }
        if (!startLsn.isValid()) {
            throw new ApiError.BadRequest("start_lsn must not be 0/0");
        }
        int version = pgVersion < 1000 ? pgVersion * 10000 : pgVersion;
        Configuration conf = mconf == null ? Configuration.LEGACY_EMPTY : mconf.toDomain();
        var server = new ServerInfo(version, systemId == null ? 0 : systemId,
                walSegSize == null ? Lsn.DEFAULT_SEGMENT_SIZE : walSegSize);
        return AcceptorState.create(new TenantTimelineId(tenantId, timelineId), conf, server, startLsn,
                commitLsn == null ? startLsn : commitLsn, nowUs);
    }
}
