package dev.jneon.pageserver.tenant;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.disk.DurableFiles;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.importer.Initdb;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import dev.jneon.pageserver.timeline.TimelineState;
import dev.jneon.common.pg.file.DbState;
import dev.jneon.common.wal.SegmentDirectory;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.common.wal.WalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Timeline creation of spec F.3: bootstrap from initdb, import of a data directory, or branch
 * from an existing timeline.
 * A creation is visible only once complete; a retry of a completed identical creation succeeds,
 * a different one with the same id is a conflict. Serialised per tenant by its timeline lock.
 * With remote storage a creation returns once its first index is uploaded (spec E.4).
 * Stateless apart from its settings.
 *
 * @param tempDir where initdb output is written and deleted after the import
 * @param dataChecksums whether initdb enables data checksums
 * @param waitLsnTimeout how long a branch waits for the parent to reach its start LSN
 */
public record TimelineCreation(Path tempDir, boolean dataChecksums, Duration waitLsnTimeout) {

    /** How long a creation waits for its first index upload before answering 503 (uploads go on). */
    static final Duration FIRST_UPLOAD_TIMEOUT = Duration.ofSeconds(60);

    /** Bootstraps {@code id} from a fresh initdb of {@code version}; returns the active timeline. */
    public Timeline bootstrap(TenantShard tenant, TimelineId id, PgMajorVersion version) {
        synchronized (tenant.timelineLock()) {
            Timeline existing = tenant.findTimeline(id);
            if (existing != null) {
                if (existing.ancestor() == null && existing.pgVersion() == version) {
                    return existing;
                }
                throw new ApiError.Conflict("timeline " + id + " already exists with different parameters");
            }
            PgBinaries binaries;
            try {
                binaries = PgBinaries.of(version);
            } catch (IllegalStateException e) {
                throw new ApiError.BadRequest("cannot bootstrap PostgreSQL " + version + ": " + e.getMessage());
            }
            Path pgdata = tempDir.resolve("initdb-" + tenant.id() + "-" + id);
            DurableFiles.deleteRecursively(pgdata);
            try {
                Initdb.run(binaries, pgdata, dataChecksums);
                Lsn initdbLsn = DataDirImport.controlFile(pgdata).checkPoint().alignUp8();
                return importDataDir(tenant, id, pgdata, initdbLsn, version);
            } finally {
                DurableFiles.deleteRecursively(pgdata);
            }
        }
    }

    /**
     * Creates {@code id} from a cleanly shut down PostgreSQL 15 data directory left in place (the
     * {@code LocalFs} location of Neon's import_pgdata), at the end of its shutdown checkpoint record:
     * where the cluster's WAL continues when it is started again, so the timeline can follow it
     * through the safekeepers. [jneon] Synchronous: the timeline is Active when this returns (Neon
     * imports asynchronously, from object storage, and reports progress).
     */
    public Timeline importPgdata(TenantShard tenant, TimelineId id, Path pgdata) {
        synchronized (tenant.timelineLock()) {
            Timeline existing = tenant.findTimeline(id);
            if (existing != null) {
                if (existing.ancestor() == null) {
                    return existing;
                }
                throw new ApiError.Conflict("timeline " + id + " already exists with different parameters");
            }
            if (!Files.isRegularFile(pgdata.resolve("global/pg_control"))) {
                throw new ApiError.BadRequest("import_pgdata: " + pgdata + " is not a PostgreSQL data directory");
            }
            String major = readVersionFile(pgdata);
            if (!major.equals(PgMajorVersion.PG15.versionFileContents().strip())) {
                throw new ApiError.BadRequest("import_pgdata: PostgreSQL " + major + " data directories are not supported");
            }
            PgMajorVersion version = PgMajorVersion.PG15;
            PgControl control = DataDirImport.controlFile(pgdata);
            if (control.state() != DbState.SHUTDOWNED) {
                throw new ApiError.BadRequest("import_pgdata: " + pgdata + " was not shut down cleanly (state "
                        + control.state() + ")");
            }
            return importDataDir(tenant, id, pgdata, checkpointRecordEnd(pgdata, control), version);
        }
    }

    private static String readVersionFile(Path pgdata) {
        try {
            return Files.readString(pgdata.resolve("PG_VERSION")).strip();
        } catch (IOException e) {
            throw new ApiError.BadRequest("import_pgdata: cannot read PG_VERSION of " + pgdata + ": " + e.getMessage());
        }
    }

    /** The end of the checkpoint record pg_control points at, read from the data directory's pg_wal. */
    private static Lsn checkpointRecordEnd(Path pgdata, PgControl control) {
        var segments = new SegmentDirectory(pgdata.resolve("pg_wal"), control.build().xlogSegSize());
        WalRecord[] first = new WalRecord[1];
        try {
            segments.decode(control.checkPoint(), control.checkPoint().plus(2 * WalFormat.PAGE_SIZE), r -> {
                if (first[0] == null) {
                    first[0] = r;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the WAL of " + pgdata, e);
        }
        if (first[0] == null || !first[0].lsn().equals(control.checkPoint())) {
            throw new ApiError.BadRequest("import_pgdata: the checkpoint record at " + control.checkPoint()
                    + " is not in " + pgdata.resolve("pg_wal"));
        }
        return first[0].endLsn();
    }

    /** Creates the timeline, imports {@code pgdata} at {@code lsn}, flushes it and makes it visible. */
    private static Timeline importDataDir(TenantShard tenant, TimelineId id, Path pgdata, Lsn lsn, PgMajorVersion version) {
        Timeline timeline = null;
        try {
            var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, lsn, version);
            timeline = TimelineLoader.create(tenant.timelineDir(id), tenant.id(), id, tenant.location().generation(),
                    null, metadata, tenant.location().engineConf(), tenant.clock());
            tenant.enableUploads(timeline);
            timeline.activate();
            DataDirImport.importAt(pgdata, timeline.writer(), lsn, version);
            timeline.checkpoint();
            tenant.awaitFirstUpload(timeline, FIRST_UPLOAD_TIMEOUT);
            tenant.addTimeline(timeline);
            return timeline;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(timeline, tenant, id);
            throw new ApiError.Unavailable("interrupted while creating timeline " + id);
        } catch (RuntimeException e) {
            discard(timeline, tenant, id);
            throw e;
        }
    }

    private static void discard(Timeline timeline, TenantShard tenant, TimelineId id) {
        if (timeline != null) {
            timeline.shutdown(false);
        }
        DurableFiles.deleteRecursively(tenant.timelineDir(id));
    }

    /** Branches {@code id} off {@code ancestorId} at {@code start} (null: the parent's last record). */
    public Timeline branch(TenantShard tenant, TimelineId id, TimelineId ancestorId, Lsn start) throws InterruptedException {
        synchronized (tenant.timelineLock()) {
            Timeline parent = tenant.findTimeline(ancestorId);
            if (parent == null) {
                throw new ApiError.NotFound("ancestor timeline " + ancestorId + " not found");
            }
            Timeline existing = tenant.findTimeline(id);
            if (existing != null) {
                boolean same = existing.ancestor() == parent && (start == null || existing.ancestorLsn().equals(start.alignUp8()));
                if (same) {
                    return existing;
                }
                throw new ApiError.Conflict("timeline " + id + " already exists with different parameters");
            }
            if (parent.state() != TimelineState.ACTIVE) {
                throw new ApiError.Unavailable("ancestor timeline " + ancestorId + " is " + parent.state().apiName());
            }
            Lsn at = start == null ? parent.lastRecordLsn() : start.alignUp8();
            if (start != null) {
                if (parent.ancestor() != null && at.compareTo(parent.ancestorLsn()) < 0) {
                    throw new BranchPointRejected("invalid start lsn " + at + " for ancestor timeline " + ancestorId
                            + ": less than timeline ancestor lsn " + parent.ancestorLsn());
                }
                if (!parent.waitLsn(at, waitLsnTimeout)) {
                    throw new BranchPointRejected("start lsn " + at + " is beyond the WAL of ancestor timeline " + ancestorId
                            + " (last record " + parent.lastRecordLsn() + "), not reached within " + waitLsnTimeout);
                }
            }
            if (at.compareTo(parent.gcCutoffLsn()) < 0) {
                throw new BranchPointRejected("invalid branch start lsn " + at + ": less than latest GC cutoff "
                        + parent.gcCutoffLsn());
            }
            if (at.compareTo(parent.initdbLsn()) < 0) {
                throw new BranchPointRejected("invalid branch start lsn " + at + ": below initdb lsn " + parent.initdbLsn());
            }
            var parentRecord = parent.recordLsn();
            Lsn prev = Objects.equals(at, parentRecord.last()) && parentRecord.prev().isValid() ? parentRecord.prev() : null;
            var metadata = new TimelineMetadata(at, prev, ancestorId, at, parent.gcCutoffLsn(), parent.initdbLsn(),
                    parent.pgVersion());
            Timeline child = TimelineLoader.create(tenant.timelineDir(id), tenant.id(), id, tenant.location().generation(),
                    parent, metadata, tenant.location().engineConf(), tenant.clock());
            tenant.enableUploads(child);
            child.scheduleIndexUpload();
            child.activate();
            tenant.addTimeline(child);
            tenant.awaitFirstUpload(child, FIRST_UPLOAD_TIMEOUT);
            return child;
        }
    }
}
