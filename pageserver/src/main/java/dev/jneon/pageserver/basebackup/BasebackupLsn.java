package dev.jneon.pageserver.basebackup;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.timeline.RecordLsn;
import dev.jneon.pageserver.timeline.Timeline;
import java.time.Duration;

/**
 * Where a basebackup is taken (spec pageserver H): X, the end of a record the timeline has ingested,
 * and {@code prev}, the end of the record before it, written as the synthetic checkpoint's xl_prev
 * ({@link Lsn#INVALID} when X is not the timeline's last record, as PostgreSQL only checks
 * {@code xl_prev < C}). Immutable.
 */
public record BasebackupLsn(Lsn lsn, Lsn prev) {

    public BasebackupLsn {
        if (lsn == null || !lsn.isValid() || prev == null) {
            throw new IllegalArgumentException("a basebackup needs a valid LSN and a prev (Lsn.INVALID when unknown)");
        }
    }

    /**
     * Resolves a request: {@code requested} {@link Lsn#INVALID} means the last record LSN; otherwise
     * the LSN must be 8-aligned (a record end), not below the GC cutoff, the initdb LSN or the branch
     * point, and is waited for up to {@code timeout}. A primary ({@code replica} false) must start at
     * the end of the timeline's WAL, where its own writes continue; older LSNs are for read-only
     * computes.
     *
     * @throws ApiError.BadRequest for an LSN that cannot be served
     * @throws ApiError.Unavailable when the LSN is not ingested within the timeout
     */
    public static BasebackupLsn resolve(Timeline timeline, Lsn requested, boolean replica, Duration timeout)
            throws InterruptedException {
        if (!requested.isValid()) {
            RecordLsn record = timeline.recordLsn();
            return new BasebackupLsn(record.last(), record.prev());
        }
        if (!requested.isAligned8()) {
            throw new ApiError.BadRequest("basebackup LSN " + requested + " is not 8-aligned, so it is not the end of a record");
        }
        Lsn floor = Lsn.max(timeline.initdbLsn(), timeline.ancestorLsn());
        if (requested.isBefore(floor)) {
            throw new ApiError.BadRequest("basebackup LSN " + requested + " is below the start of timeline "
                    + timeline.timelineId() + " (" + floor + ")");
        }
        if (requested.isBefore(timeline.gcCutoffLsn())) {
            throw new ApiError.BadRequest("basebackup LSN " + requested + " is below the GC cutoff "
                    + timeline.gcCutoffLsn() + " of timeline " + timeline.timelineId());
        }
        if (!timeline.waitLsn(requested, timeout)) {
            throw new ApiError.Unavailable("timed out after " + timeout + " waiting for LSN " + requested + " on timeline "
                    + timeline.timelineId() + " (last record LSN " + timeline.lastRecordLsn() + ")");
        }
        RecordLsn record = timeline.recordLsn();
        if (record.last().equals(requested)) {
            return new BasebackupLsn(requested, record.prev());
        }
        if (!replica) {
            throw new ApiError.BadRequest("a primary must start at the end of the timeline's WAL (" + record.last()
                    + "), not at " + requested + "; older LSNs are for replica or static computes");
        }
        return new BasebackupLsn(requested, Lsn.INVALID);
    }
}
