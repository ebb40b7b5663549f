package dev.jneon.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The compute-ctl application without a spec: it waits in {@code empty}, answers {@code /status},
 * {@code /metrics}, refuses bad specs with 400 and, once terminated, further requests with 412.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"jneon.grpc.port=0",
        "connstr=postgresql://cloud_admin@127.0.0.1:55433/postgres", "compute-id=compute-under-test",
        "jneon.compute.linger=1s"})
class ComputeCtlServiceIT {

    private static Path pgdata;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void pgdata(DynamicPropertyRegistry registry) throws Exception {
        pgdata = Files.createTempDirectory("jneon-compute-ctl-service-it");
        registry.add("pgdata", () -> pgdata.resolve("pgdata").toString());
    }

    @AfterAll
    static void removePgdata() throws Exception {
        Files.deleteIfExists(pgdata);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    private static String config(String mode) throws Exception {
        return new String(ComputeCtlServiceIT.class.getResourceAsStream("/spec/neon-shaped-config.json").readAllBytes())
                .replace("\"mode\": \"Primary\"", "\"mode\": " + mode);
    }

    @Test
    void answersStatusWithItsName() throws Exception {
        var response = get("/v1/status");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"service\":\"compute-ctl\"").contains("\"id\":1");
    }

    @Test
    void exportsPrometheusMetrics() throws Exception {
        var response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes").contains("compute_ctl_up{")
                .contains("compute_pg_downtime_ms_total").contains("compute_pg_current_downtime_ms");
    }

    @Test
    void refusesBadSpecsWithAMessage() throws Exception {
        var replica = send("POST", "/configure", config("\"Replica\""));
        assertThat(replica.statusCode()).isEqualTo(400);
        assertThat(replica.body()).contains("\"error\"").contains("Replica is not supported");
        var garbage = send("POST", "/configure", "{\"spec\": {\"format_version\": 1.0}}");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("suspend_timeout_seconds is required");
        var noSpec = send("POST", "/configure", "{\"spec\": null, \"compute_ctl_config\": {}}");
        assertThat(noSpec.statusCode()).isEqualTo(400);
        assertThat(send("POST", "/terminate?mode=slow", null).statusCode()).isEqualTo(400);
    }

    @Test
    void emptyComputeTerminatesAndThenRefusesRequests() throws Exception {
        var status = get("/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"status\":\"empty\"").contains("\"start_time\"")
                .doesNotContain("\"tenant\"");
        assertThat(get("/metrics").body()).containsPattern("compute_ctl_up\\{build_tag=\"dev\",status=\"empty\"} 1");
        assertThat(get("/metrics.json").body()).isEqualTo("{}");

        var terminate = send("POST", "/terminate", null);
        assertThat(terminate.statusCode()).isEqualTo(200);
        assertThat(terminate.body()).isEqualTo("{\"lsn\":null}");
        assertThat(get("/status").body()).contains("\"status\":\"terminated\"");
        assertThat(send("POST", "/terminate", null).statusCode()).as("already terminated").isEqualTo(201);
        var configure = send("POST", "/configure", config("\"Primary\""));
        assertThat(configure.statusCode()).isEqualTo(412);
        assertThat(configure.body()).isEqualTo("{\"error\":\"invalid compute status: terminated\"}");
    }
}
