package dev.jneon.pageserver.timeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;

/**
 * The persisted part of a timeline's state (spec D.1, index_part {@code metadata}). Stored by
 * {@link TimelineMetadataFile}. Immutable.
 *
 * @param diskConsistentLsn every value at or below it is in a layer file
 * @param prevRecordLsn end of the record before {@code diskConsistentLsn}, or null when unknown
 * @param ancestorTimelineId the branch parent, or null
 * @param ancestorLsn the branch point ({@link Lsn#INVALID} without a parent)
 * @param latestGcCutoffLsn reads and branches below it are refused
 * @param initdbLsn the LSN of the root timeline's initdb image
 * @param pgVersion the PostgreSQL major version of the data
 */
public record TimelineMetadata(
        @JsonProperty("disk_consistent_lsn") Lsn diskConsistentLsn,
        @JsonProperty("prev_record_lsn") Lsn prevRecordLsn,
        @JsonProperty("ancestor_timeline") TimelineId ancestorTimelineId,
        @JsonProperty("ancestor_lsn") Lsn ancestorLsn,
        @JsonProperty("latest_gc_cutoff_lsn") Lsn latestGcCutoffLsn,
        @JsonProperty("initdb_lsn") Lsn initdbLsn,
        @JsonProperty("pg_version") PgMajorVersion pgVersion) {

    public TimelineMetadata {
        if (diskConsistentLsn == null || ancestorLsn == null || latestGcCutoffLsn == null || initdbLsn == null
                || pgVersion == null) {
            throw new IllegalArgumentException("timeline metadata misses a required field");
        }
        if ((ancestorTimelineId == null) != (ancestorLsn.equals(Lsn.INVALID))) {
            throw new IllegalArgumentException("ancestor timeline and ancestor LSN go together");
        }
    }

    public TimelineMetadata withDiskConsistent(Lsn disk, Lsn prev) {
        return new TimelineMetadata(disk, prev, ancestorTimelineId, ancestorLsn, latestGcCutoffLsn, initdbLsn, pgVersion);
    }
}
