package dev.jneon.pageserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import dev.jneon.common.id.Generation;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.tenant.LocationConf;
import dev.jneon.pageserver.tenant.LocationMode;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The HTTP basebackup route of the running Spring application over a bootstrapped timeline: the
 * tar body in each compression (read back with GNU tar), {@code {"msg"}} refusals with 400/404/503
 * before any byte, and the basebackup meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "jneon.grpc.port=0")
class BasebackupApiIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("jneon.pageserver.data-dir", () -> dataDir.toString());
        registry.add("jneon.pageserver.wait-lsn-timeout", () -> "300ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    Tenants tenants;

    @Autowired
    MeterRegistry meters;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesTheTarAndRefusesBadRequests() throws Exception {
        TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
        TimelineId id = TimelineId.generate();
        var shard = tenants.attach(tenant, new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 32768, Map.of()));
        Timeline timeline = tenants.creation().bootstrap(shard, id, PgMajorVersion.PG15);
        String route = "/v1/tenant/" + tenant + "/timeline/" + id + "/basebackup";

        HttpResponse<byte[]> plain = get(route);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("content-type")).hasValue("application/x-tar");
        HttpResponse<byte[]> gzip = get(route + "?compression=gzip&lsn=" + timeline.lastRecordLsn());
        assertThat(gzip.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> zstd = get(route + "?compression=zstd");
        assertThat(zstd.statusCode()).isEqualTo(200);
        String listing = list(plain.body());
        assertThat(listing).contains("global/pg_control", "base/5/PG_VERSION", "pg_wal/archive_status/");
        assertThat(list(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes())).isEqualTo(listing);
        assertThat(list(new ZstdInputStream(new ByteArrayInputStream(zstd.body())).readAllBytes())).isEqualTo(listing);
        assertThat(meters.get("pageserver_basebackups").tag("outcome", "ok").counter().count()).isEqualTo(3);
        assertThat(meters.get("pageserver_basebackup_bytes").counter().count())
                .isEqualTo(plain.body().length + gzip.body().length + zstd.body().length);

        assertError(get(route + "?compression=brotli"), 400, "compression");
        assertError(get(route + "?lsn=nonsense"), 400, "lsn");
        assertError(get(route + "?lsn=" + timeline.lastRecordLsn().plus(4)), 400, "8-aligned");
        assertError(get(route + "?lsn=" + timeline.lastRecordLsn().plus(1 << 20)), 503, "timed out");
        assertError(get("/v1/tenant/" + tenant + "/timeline/" + TimelineId.generate() + "/basebackup"), 404, "");
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String message) {
        String body = new String(response.body());
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(body).startsWith("{\"msg\":").contains(message);
    }

    private static String list(byte[] tar) throws Exception {
        Path file = Files.createTempFile(dataDir, "basebackup", ".tar");
        Files.write(file, tar);
        try {
            return PgCluster.run(List.of("tar", "-tf", file.toString()), Duration.ofMinutes(1));
        } finally {
            Files.delete(file);
        }
    }
}
