package dev.jneon.pageserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.pageserver.remote.DiskBudgetEviction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Remote storage through the real Spring app and its config keys: a bootstrap returns with its
 * index uploaded (remote_consistent_lsn = disk_consistent_lsn), the layer routes list and evict,
 * the disk budget evicts, a basebackup downloads what it needs, the metrics count it, and deleting
 * the tenant deletes its remote objects.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "jneon.grpc.port=0")
class RemoteStorageApiIT {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("jneon.pageserver.data-dir", () -> dir.resolve("data").toString());
        registry.add("jneon.pageserver.remote-storage.local-path", () -> dir.resolve("remote").toString());
        registry.add("jneon.pageserver.eviction.max-resident-bytes", () -> "0");
        registry.add("jneon.pageserver.eviction.period", () -> "1h");
    }

    @LocalServerPort
    int port;

    @Autowired
    DiskBudgetEviction budget;

    private final HttpClient client = HttpClient.newHttpClient();
    private final JsonMapper json = new JsonMapper();

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> historic(String timelinePath) throws Exception {
        var r = call("GET", timelinePath + "/layer", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (List<Map<String, Object>>) json.readValue(r.body(), Map.class).get("historic_layers");
    }

    @Test
    @SuppressWarnings("unchecked")
    void uploadsListsEvictsDownloadsAndDeletes() throws Exception {
        TenantId tenant = TenantId.generate();
        TimelineId timeline = TimelineId.generate();
        var attach = call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":1,\"tenant_conf\":{}}");
        assertThat(attach.statusCode()).as(attach.body()).isEqualTo(200);
        var created = call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + timeline + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> info = json.readValue(created.body(), Map.class);
        assertThat(info.get("remote_consistent_lsn")).isNotEqualTo("0/0").isEqualTo(info.get("disk_consistent_lsn"));
        assertThat(info.get("remote_consistent_lsn_visible")).isEqualTo(info.get("remote_consistent_lsn"));
        Path remoteTimeline = dir.resolve("remote/tenants/" + tenant + "/timelines/" + timeline);
        assertThat(remoteTimeline.resolve("index_part.json-00000001")).exists();

        String path = "/v1/tenant/" + tenant + "/timeline/" + timeline;
        List<Map<String, Object>> layers = historic(path);
        assertThat(layers).isNotEmpty().allSatisfy(l -> assertThat(l).containsEntry("remote", false)
                .containsKeys("kind", "layer_file_name", "layer_file_size", "lsn_start", "lsn_end", "l0", "visible"));
        for (Map<String, Object> l : layers) {
            assertThat(remoteTimeline.resolve(l.get("layer_file_name") + "-00000001")).exists();
        }
        String first = (String) layers.getFirst().get("layer_file_name");
        var evicted = call("DELETE", path + "/layer/" + first, null);
        assertThat(evicted.statusCode()).as(evicted.body()).isEqualTo(200);
        assertThat(evicted.body()).isEqualTo("true");
        assertThat(call("DELETE", path + "/layer/" + first, null).statusCode()).isEqualTo(304);
        assertThat(historic(path)).filteredOn(l -> first.equals(l.get("layer_file_name")))
                .singleElement().satisfies(l -> assertThat(l).containsEntry("remote", true));
        String unknown = first.substring(0, first.length() - 1) + (first.endsWith("0") ? "1" : "0");
        assertThat(call("DELETE", path + "/layer/" + unknown, null).statusCode()).isEqualTo(404);

        budget.enforce();
        assertThat(historic(path)).filteredOn(l -> !Boolean.TRUE.equals(l.get("l0")))
                .allSatisfy(l -> assertThat(l).containsEntry("remote", true));
        var basebackup = call("GET", path + "/basebackup", null);
        assertThat(basebackup.statusCode()).as(basebackup.body()).isEqualTo(200);
        String metrics = call("GET", "/metrics", null).body();
        assertThat(downloads(metrics)).isPositive();
        assertThat(metrics).contains("pageserver_layer_evictions_total", "pageserver_remote_index_uploads_total",
                "pageserver_remote_upload_queue_length");

        assertThat(call("DELETE", "/v1/tenant/" + tenant, null).statusCode()).isEqualTo(200);
        assertThat(Files.exists(dir.resolve("remote/tenants/" + tenant))
                && Files.list(dir.resolve("remote/tenants/" + tenant)).findAny().isPresent()).isFalse();
    }

    private static double downloads(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("pageserver_remote_layer_downloads_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
