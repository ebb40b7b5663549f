package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The start of every ingest IT: a PostgreSQL 15 cluster after initdb with data checksums and the
 * given settings, and an active root timeline (unsharded, generation 1) holding its import at the
 * initdb checkpoint LSN. The caller starts the cluster, runs its workload and shuts the timeline down.
 */
record InitdbTimeline(Timeline timeline, TenantShardId tenant, Lsn initdbLsn, int segmentSize) {

    static InitdbTimeline create(PgCluster pg, Map<String, String> settings, Path timelineDir, TenantConf conf)
            throws IOException {
        pg.initdb(List.of("--data-checksums"));
        pg.configure(settings);
        PgControl control = DataDirImport.controlFile(pg.dataDir());
        Lsn initdbLsn = control.checkPoint();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, initdbLsn,
                PgMajorVersion.PG15);
        TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
        Timeline timeline = TimelineLoader.create(timelineDir, tenant, TimelineId.generate(), Generation.of(1), null,
                metadata, conf, Clock.systemUTC());
        timeline.activate();
        DataDirImport.importAt(pg.dataDir(), timeline.writer(), initdbLsn, PgMajorVersion.PG15);
        return new InitdbTimeline(timeline, tenant, initdbLsn, control.build().xlogSegSize());
    }

    /** The cluster's WAL as a source for ingest. */
    PgWalSource wal(PgCluster pg) {
        return new PgWalSource(pg.dataDir().resolve("pg_wal"), segmentSize);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
