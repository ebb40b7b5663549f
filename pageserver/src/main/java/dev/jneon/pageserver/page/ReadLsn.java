package dev.jneon.pageserver.page;

import dev.jneon.common.id.Lsn;
import dev.jneon.pageserver.timeline.Timeline;
import java.time.Duration;

/**
 * The LSN pair of a page-service read (spec G.1): read as of {@code request}, the caller promising
 * that the data did not change after {@code notModifiedSince}. Immutable; validated on construction
 * (zero request LSN or not-modified-since above it is an {@link PageReadException.InvalidRequest}).
 */
public record ReadLsn(Lsn request, Lsn notModifiedSince) {

    public ReadLsn {
        if (!request.isValid()) {
            throw new PageReadException.InvalidRequest("request_lsn must not be 0");
        }
        if (!notModifiedSince.isValid()) {
            notModifiedSince = request;
        }
        if (notModifiedSince.isAfter(request)) {
            throw new PageReadException.InvalidRequest("not_modified_since_lsn " + notModifiedSince
                    + " is greater than request_lsn " + request);
        }
    }

    /** Builds from the raw wire values (unsigned 64-bit LSNs). */
    public static ReadLsn of(long request, long notModifiedSince) {
        return new ReadLsn(new Lsn(request), new Lsn(notModifiedSince));
    }

    /**
     * The LSN to read {@code timeline} at: below the GC cutoff is refused; when not-modified-since is
     * beyond the last record, waits for it up to {@code timeout} and reads there; otherwise reads at
     * min(last record, request) without waiting.
     */
    public Lsn effective(Timeline timeline, Duration timeout) throws InterruptedException {
        Lsn cutoff = timeline.gcCutoffLsn();
        if (request.isBefore(cutoff)) {
            throw new PageReadException.InvalidRequest("request_lsn " + request + " is below the GC cutoff " + cutoff
                    + " of timeline " + timeline.timelineId());
        }
        Lsn last = timeline.lastRecordLsn();
        if (notModifiedSince.isAfter(last)) {
            if (!timeline.waitLsn(notModifiedSince, timeout)) {
                throw new PageReadException.LsnTimeout("timed out after " + timeout + " waiting for LSN " + notModifiedSince
                        + " on timeline " + timeline.timelineId() + " (last record LSN " + timeline.lastRecordLsn() + ")");
            }
            return notModifiedSince;
        }
        return Lsn.min(last, request);
    }
}
