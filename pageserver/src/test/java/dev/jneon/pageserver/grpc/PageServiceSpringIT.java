package dev.jneon.pageserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.GetPageStatusCode;
import dev.jneon.api.page.GetRelSizeRequest;
import dev.jneon.api.page.ReadLsn;
import dev.jneon.api.page.RelTag;
import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.tenant.LocationConf;
import dev.jneon.pageserver.tenant.LocationMode;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Spring app serves the page service on {@code jneon.grpc.port} with zstd, over a bootstrapped timeline. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "jneon.grpc.port=0")
class PageServiceSpringIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("jneon.pageserver.data-dir", () -> dataDir.toString());
    }

    @Autowired
    Tenants tenants;

    @Autowired
    GrpcServer grpcServer;

    @Test
    void bootstrappedTimelineIsReadableOverGrpcWithZstd() throws Exception {
        TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
        TimelineId timelineId = TimelineId.generate();
        var shard = tenants.attach(tenant, new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 32768, Map.of()));
        Timeline timeline = tenants.creation().bootstrap(shard, timelineId, PgMajorVersion.PG15);
        ReadLsn lsn = ReadLsn.newBuilder().setRequestLsn(Lsn.MAX.value()).setNotModifiedSinceLsn(timeline.initdbLsn().value()).build();
        RelTag pgClass = RelTag.newBuilder().setSpcOid(1663).setDbOid(5).setRelNumber(1259).build();
        try (var client = new PageServiceClient("127.0.0.1", grpcServer.port(), tenant, timelineId, "zstd");
                var stream = client.openPages()) {
            int blocks = client.blocking().getRelSize(GetRelSizeRequest.newBuilder().setReadLsn(lsn).setRel(pgClass).build()).getNumBlocks();
            assertThat(blocks).isPositive();
            var response = stream.exchange(GetPageRequest.newBuilder().setReadLsn(lsn).setRel(pgClass).addBlockNumber(blocks - 1).build());
            assertThat(response.getStatusCode()).isEqualTo(GetPageStatusCode.GET_PAGE_STATUS_CODE_OK);
            assertThat(response.getPage(0).getImage().size()).isEqualTo(8192);
        }
    }
}
