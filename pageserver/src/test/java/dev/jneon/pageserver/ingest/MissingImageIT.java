package dev.jneon.pageserver.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN D4: without wal_consistency_checking a heap insert on a fresh page carries no image, so
 * ingest must stop at that record with an error naming its LSN, and the timeline must not
 * advance past the records before it.
 */
class MissingImageIT {

    @TempDir
    Path tmp;

    @Test
    void aHeapRecordWithoutAnImageStopsIngestAtItsLsn() throws Exception {
        Path pgdata = tmp.resolve("pgdata");
        try (PgCluster pg = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), pgdata)) {
            pg.initdb(List.of("--data-checksums"));
            pg.configure(Map.of("fsync", "off", "autovacuum", "off"));
            PgControl control = DataDirImport.controlFile(pgdata);
            Lsn initdbLsn = control.checkPoint();
            var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, initdbLsn,
                    PgMajorVersion.PG15);
            Timeline timeline = TimelineLoader.create(tmp.resolve("tl"), TenantShardId.unsharded(TenantId.generate()),
                    TimelineId.generate(), Generation.of(1), null, metadata, TenantConf.DEFAULTS, Clock.systemUTC());
            timeline.activate();
            try {
                DataDirImport.importAt(pgdata, timeline.writer(), initdbLsn, PgMajorVersion.PG15);
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                pg.start(port);
                pg.psql("postgres", "CREATE TABLE t (a int)");
                pg.psql("postgres", "INSERT INTO t VALUES (1)");
                pg.stop("fast");

                WalIngest ingest = new WalIngest(timeline, true);
                PgWalSource source = new PgWalSource(pgdata.resolve("pg_wal"), control.build().xlogSegSize());
                assertThatThrownBy(() -> source.ingest(initdbLsn, Lsn.MAX, ingest))
                        .isInstanceOfSatisfying(WalIngestException.class, e -> {
                            assertThat(e.getMessage()).contains(e.lsn().toString()).contains("without a full-page image");
                            assertThat(timeline.lastRecordLsn()).isLessThanOrEqualTo(e.lsn());
                            assertThat(timeline.lastRecordLsn()).isGreaterThan(initdbLsn);
                        });
            } finally {
                timeline.shutdown(false);
            }
        }
    }
}
