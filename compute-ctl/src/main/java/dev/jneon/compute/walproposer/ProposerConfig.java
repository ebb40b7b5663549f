package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgVersionId;

/**
 * What a {@link Proposer} needs to know before it starts.
 *
 * @param ttid             the timeline
 * @param safekeeperCount  number of configured safekeepers; a quorum is a majority of them
 * @param pgVersion        PG_VERSION_NUM sent in greetings
 * @param systemId         pg_control's system identifier, 0 for sync-safekeepers
 * @param walSegSize       WAL segment size in bytes
 * @param sync             sync-safekeepers mode: no Postgres, finish once the end of WAL is committed everywhere
 * @param basebackupLsn    normal mode: the LSN Postgres started from (its basebackup); the elected term must
 *                         start there (B.5 step 7); {@link Lsn#INVALID} skips the check
 * @param lastElectedTerm  normal mode: the term this compute last won (0 if none); a donor whose last term is
 *                         this one continues our own WAL, so the basebackup check does not apply
 * @param maxInFlightBytes how much WAL may be sent to one safekeeper since its last append response
 */
public record ProposerConfig(TenantTimelineId ttid, int safekeeperCount, PgVersionId pgVersion, long systemId,
        int walSegSize, boolean sync, Lsn basebackupLsn, long lastElectedTerm, long maxInFlightBytes) {

    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 16L * ProposerMessage.Append.MAX_SEND_SIZE;

    public ProposerConfig {
        if (ttid == null || pgVersion == null || basebackupLsn == null) {
            throw new IllegalArgumentException("ttid, pg version and basebackup LSN must not be null");
        }
        if (safekeeperCount < 1) {
            throw new IllegalArgumentException("need at least one safekeeper, got " + safekeeperCount);
        }
        Lsn.INVALID.segmentOffset(walSegSize);
        if (maxInFlightBytes < ProposerMessage.Append.MAX_SEND_SIZE) {
            throw new IllegalArgumentException("max in-flight bytes " + maxInFlightBytes + " is below one append");
        }
    }

    /** sync-safekeepers: no Postgres, system id 0. */
    public static ProposerConfig sync(TenantTimelineId ttid, int safekeeperCount, PgVersionId pgVersion, int walSegSize) {
        return new ProposerConfig(ttid, safekeeperCount, pgVersion, 0, walSegSize, true, Lsn.INVALID, 0,
                DEFAULT_MAX_IN_FLIGHT_BYTES);
    }

    /** Majority of the configured safekeepers. */
    public int quorum() {
        return safekeeperCount / 2 + 1;
    }
}
