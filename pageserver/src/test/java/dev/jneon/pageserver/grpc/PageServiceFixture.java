package dev.jneon.pageserver.grpc;

import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.grpc.GrpcServerProperties;
import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.pageserver.basebackup.BasebackupMetrics;
import dev.jneon.pageserver.basebackup.Basebackups;
import dev.jneon.pageserver.config.PageserverProperties;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.importer.Initdb;
import dev.jneon.pageserver.tenant.LocationConf;
import dev.jneon.pageserver.tenant.LocationMode;
import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import io.grpc.InsecureServerCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A pageserver workdir holding one timeline imported from a real PG 15 initdb (whose data directory
 * is kept for comparisons), loaded by {@link Tenants} as at start-up and served by a real
 * {@link GrpcServer} on a free loopback port with the page service and its codecs.
 */
public final class PageServiceFixture implements AutoCloseable {

    final Path pgdata;
    final TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
    final TimelineId timelineId = TimelineId.generate();
    final Lsn initdbLsn;
    final Tenants tenants;
    final GrpcServer server;

    public PageServiceFixture(Path tmp, Duration waitLsnTimeout) throws Exception {
        pgdata = tmp.resolve("pgdata");
        Initdb.run(PgBinaries.of(PgMajorVersion.PG15), pgdata, true);
        var properties = new PageserverProperties(tmp.resolve("workdir"), waitLsnTimeout, true);
        Tenants creating = new Tenants(properties);
        TenantShard shard = creating.attach(tenant, new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 32768, Map.of()));
        initdbLsn = DataDirImport.controlFile(pgdata).checkPoint().alignUp8();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, initdbLsn, PgMajorVersion.PG15);
        Timeline timeline = TimelineLoader.create(shard.timelineDir(timelineId), tenant, timelineId, Generation.of(1), null,
                metadata, shard.location().engineConf(), shard.clock());
        timeline.activate();
        DataDirImport.importAt(pgdata, timeline.writer(), initdbLsn, PgMajorVersion.PG15);
        timeline.checkpoint();
        timeline.shutdown(true);
        creating.shutdown();

        tenants = new Tenants(properties);
        server = new GrpcServer(new GrpcServerProperties("127.0.0.1", 0, Duration.ofSeconds(1), null),
                List.of(new GrpcPageService(tenants, properties,
                        new Basebackups(waitLsnTimeout, BasebackupMetrics.unregistered(), java.time.Clock.systemUTC()))), InsecureServerCredentials.create(),
                List.of(new PageServiceCodecs()));
        server.start();
    }

    public TenantShardId tenant() {
        return tenant;
    }

    public TimelineId timelineId() {
        return timelineId;
    }

    public GrpcServer server() {
        return server;
    }

    PageServiceClient client(String compression) {
        return new PageServiceClient("127.0.0.1", server.port(), tenant, timelineId, compression);
    }

    @Override
    public void close() {
        server.stop();
        tenants.shutdown();
    }
}
