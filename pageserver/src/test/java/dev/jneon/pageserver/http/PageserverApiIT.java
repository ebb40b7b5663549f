package dev.jneon.pageserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The management API on the real Spring app: tenants, bootstrap from real initdb, branches, errors. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "jneon.grpc.port=0")
class PageserverApiIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("jneon.pageserver.data-dir", () -> dataDir.toString());
        registry.add("jneon.pageserver.wait-lsn-timeout", () -> "200ms");
    }

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newHttpClient();

    record Response(int status, String body) {
        Map<String, Object> map() {
            return new JsonMapper().readValue(body, Map.class);
        }

        List<Object> list() {
            return new JsonMapper().readValue(body, List.class);
        }
    }

    private Response call(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private String attach(TenantId tenant, int generation) throws Exception {
        Response r = call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":" + generation + ",\"secondary_conf\":null,"
                        + "\"shard_number\":0,\"shard_count\":0,\"shard_stripe_size\":32768,"
                        + "\"tenant_conf\":{\"checkpoint_distance\":1048576,\"checkpoint_timeout\":\"10m\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void tenantLifecycleThroughLocationConfig() throws Exception {
        TenantId tenant = TenantId.generate();
        String body = attach(tenant, 3);
        assertThat(body).contains("\"shard_id\":\"" + tenant + "\"").contains("\"node_id\":1").contains("\"stripe_size\":null");

        Map<String, Object> details = call("GET", "/v1/tenant/" + tenant, null).map();
        assertThat(details).containsEntry("id", tenant.toString()).containsEntry("generation", 3)
                .containsEntry("state", Map.of("slug", "Active")).containsEntry("attachment_status", Map.of("slug", "attached"))
                .containsEntry("timelines", List.of()).containsKey("walredo");
        assertThat(call("GET", "/v1/tenant", null).body()).contains(tenant.toString());
        assertThat(Files.exists(dataDir.resolve("tenants").resolve(tenant.toString()).resolve("config-v1.json"))).isTrue();

        // re-attach with a newer generation updates; an older one is a conflict
        attach(tenant, 4);
        assertThat(call("GET", "/v1/tenant/" + tenant, null).map()).containsEntry("generation", 4);
        Response older = call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":2,\"tenant_conf\":{}}");
        assertThat(older.status()).isEqualTo(409);

        Response detached = call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"Detached\",\"generation\":null,\"tenant_conf\":{}}");
        assertThat(detached.status()).isEqualTo(200);
        assertThat(detached.map()).containsEntry("shards", List.of());
        assertThat(call("GET", "/v1/tenant/" + tenant, null).status()).isEqualTo(404);
        assertThat(Files.exists(dataDir.resolve("tenants").resolve(tenant.toString()))).isFalse();
        // Detached again is idempotent
        assertThat(call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"Detached\",\"tenant_conf\":{}}").status()).isEqualTo(200);
    }

    @Test
    void malformedRequestsAre4xxWithAMessage() throws Exception {
        TenantId tenant = TenantId.generate();
        Response unknownField = call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":1,\"tenant_conf\":{},\"bogus\":1}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.map().get("msg").toString()).contains("bogus");
        assertThat(call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"tenant_conf\":{}}").status()).isEqualTo(400);
        assertThat(call("PUT", "/v1/tenant/" + tenant + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":1,\"tenant_conf\":{\"no_such_knob\":1}}").status()).isEqualTo(400);
        assertThat(call("GET", "/v1/tenant/not-a-tenant", null).status()).isEqualTo(400);
        assertThat(call("GET", "/v1/tenant/" + TenantId.generate(), null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/tenant/" + TenantId.generate(), null).status()).isEqualTo(404);
        attach(tenant, 1);
        assertThat(call("GET", "/v1/tenant/" + tenant + "/timeline/xyz", null).status()).isEqualTo(400);
        Response missing = call("GET", "/v1/tenant/" + tenant + "/timeline/" + TimelineId.generate(), null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.map()).containsKey("msg");
        Response badLsn = call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + TimelineId.generate()
                + "\",\"ancestor_timeline_id\":\"" + TimelineId.generate() + "\",\"ancestor_start_lsn\":\"zz\"}");
        assertThat(badLsn.status()).isEqualTo(400);
        Response noAncestor = call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + TimelineId.generate()
                + "\",\"ancestor_timeline_id\":\"" + TimelineId.generate() + "\"}");
        assertThat(noAncestor.status()).isEqualTo(404);
        assertThat(call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + TimelineId.generate()
                + "\",\"pg_version\":13}").status()).isEqualTo(400);
        call("DELETE", "/v1/tenant/" + tenant, null);
    }

    @Test
    void bootstrapBranchDetailCheckpointAndDelete() throws Exception {
        TenantId tenant = TenantId.generate();
        attach(tenant, 1);
        TimelineId main = TimelineId.generate();
        String createMain = "{\"new_timeline_id\":\"" + main + "\",\"pg_version\":15}";
        Response created = call("POST", "/v1/tenant/" + tenant + "/timeline", createMain);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> info = created.map();
        Lsn initdb = Lsn.parse((String) info.get("initdb_lsn"));
        assertThat(initdb.isValid()).isTrue();
        assertThat(info).containsEntry("tenant_id", tenant.toString()).containsEntry("timeline_id", main.toString())
                .containsEntry("ancestor_timeline_id", null).containsEntry("last_record_lsn", initdb.toString())
                .containsEntry("disk_consistent_lsn", initdb.toString()).containsEntry("pg_version", 15)
                .containsEntry("state", "Active").containsEntry("applied_gc_cutoff_lsn", "0/0")
                .containsEntry("remote_consistent_lsn", "0/0").containsKeys("prev_record_lsn", "current_physical_size");
        assertThat(((Number) info.get("current_logical_size")).longValue()).isGreaterThan(5_000_000L);
        assertThat(((Number) info.get("current_physical_size")).longValue()).isGreaterThan(5_000_000L);
        // idempotent retry; the same id with other parameters conflicts
        assertThat(call("POST", "/v1/tenant/" + tenant + "/timeline", createMain).status()).isEqualTo(201);

        TimelineId branch = TimelineId.generate();
        Response branched = call("POST", "/v1/tenant/" + tenant + "/timeline",
                "{\"new_timeline_id\":\"" + branch + "\",\"ancestor_timeline_id\":\"" + main + "\"}");
        assertThat(branched.status()).as(branched.body()).isEqualTo(201);
        assertThat(branched.map()).containsEntry("ancestor_timeline_id", main.toString())
                .containsEntry("ancestor_lsn", initdb.toString()).containsEntry("last_record_lsn", initdb.toString())
                .containsEntry("initdb_lsn", initdb.toString());
        assertThat(call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + branch + "\",\"pg_version\":15}")
                .status()).isEqualTo(409);
        // branch points beyond the parent's WAL or below its start are refused with 406
        Response beyond = call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + TimelineId.generate()
                + "\",\"ancestor_timeline_id\":\"" + main + "\",\"ancestor_start_lsn\":\"" + initdb.plus(0x1000) + "\"}");
        assertThat(beyond.status()).isEqualTo(406);
        assertThat(beyond.map().get("msg").toString()).contains("beyond");
        Response below = call("POST", "/v1/tenant/" + tenant + "/timeline", "{\"new_timeline_id\":\"" + TimelineId.generate()
                + "\",\"ancestor_timeline_id\":\"" + main + "\",\"ancestor_start_lsn\":\"0/8\"}");
        assertThat(below.status()).isEqualTo(406);

        assertThat(call("GET", "/v1/tenant/" + tenant + "/timeline", null).list()).hasSize(2);
        String waitPath = "/v1/tenant/" + tenant + "/wait_lsn";
        assertThat(call("POST", waitPath, "{\"" + main + "\":\"" + initdb + "\",\"timeout\":{\"secs\":1,\"nanos\":0}}")
                .status()).isEqualTo(200);
        assertThat(call("POST", waitPath, "{\"" + main + "\":\"" + initdb.plus(8) + "\",\"timeout\":{\"secs\":0,\"nanos\":1000}}")
                .status()).isEqualTo(202);
        assertThat(call("POST", waitPath, "{\"" + TimelineId.generate() + "\":\"0/8\"}").status()).isEqualTo(404);
        Response gc = call("PUT", "/v1/tenant/" + tenant + "/timeline/" + main + "/do_gc", "{\"gc_horizon\":0}");
        assertThat(gc.status()).isEqualTo(200);
        assertThat(gc.map()).containsEntry("layers_removed", 0).containsEntry("layers_needed_by_pitr", 1)
                .containsKeys("layers_total", "layers_needed_by_cutoff", "layers_needed_by_branches", "elapsed");
        assertThat(call("PUT", "/v1/tenant/" + tenant + "/timeline/" + branch + "/checkpoint", null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/tenant/" + tenant + "/timeline/" + branch, null).map())
                .containsEntry("disk_consistent_lsn", initdb.toString());
        // a parent with children cannot go; children can
        assertThat(call("DELETE", "/v1/tenant/" + tenant + "/timeline/" + main, null).status()).isEqualTo(412);
        assertThat(call("DELETE", "/v1/tenant/" + tenant + "/timeline/" + branch, null).status()).isEqualTo(202);
        assertThat(call("GET", "/v1/tenant/" + tenant + "/timeline/" + branch, null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/tenant/" + tenant + "/timeline/" + main, null).status()).isEqualTo(202);
        assertThat(call("DELETE", "/v1/tenant/" + tenant, null).status()).isEqualTo(200);
    }
}
