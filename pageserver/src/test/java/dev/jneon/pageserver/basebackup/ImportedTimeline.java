package dev.jneon.pageserver.basebackup;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Test fixture: an active timeline of an unsharded tenant in {@code dir}, holding a cleanly shut
 * down PG 15 data directory imported at its checkpoint LSN (the initdb LSN), as a bootstrap does.
 * The caller shuts the timeline down.
 */
final class ImportedTimeline {

    private ImportedTimeline() {}

    static Timeline of(Path dir, Path pgdata) {
        Lsn initdbLsn = DataDirImport.controlFile(pgdata).checkPoint().alignUp8();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, initdbLsn, PgMajorVersion.PG15);
        Timeline timeline = TimelineLoader.create(dir, TenantShardId.unsharded(TenantId.generate()), TimelineId.generate(),
                Generation.of(1), null, metadata, TenantConf.DEFAULTS, Clock.systemUTC());
        timeline.activate();
        try {
            DataDirImport.importAt(pgdata, timeline.writer(), initdbLsn, PgMajorVersion.PG15);
        } catch (RuntimeException e) {
            timeline.shutdown(false);
            throw e;
        }
        return timeline;
    }
}
