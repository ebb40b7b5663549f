package dev.jneon.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"jneon.grpc.port=0", "spring.datasource.hikari.connection-timeout=1000"})
@DirtiesContext
class StorageControllerServiceIT {

    @RegisterExtension
    static final LocalPostgres database = new LocalPostgres();

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> database.jdbcUrl(LocalPostgres.DATABASE));
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersStatusWithItsName() throws Exception {
        var response = get("/v1/status");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"service\":\"storage-controller\"").contains("\"id\":1");
    }

    @Test
    void exportsPrometheusMetrics() throws Exception {
        var response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    @Test
    void createsItsSchemaOnStart() {
        assertThat(database.psql(LocalPostgres.DATABASE, "select version from schema_version order by version"))
                .isEqualTo("1");
    }

    @Test
    void reportsItsDatabaseInHealth() throws Exception {
        var response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"db\":{\"status\":\"UP\"");
    }

    @Test
    void readinessFollowsTheDatabase() throws Exception {
        assertThat(get("/health/readiness").statusCode()).isEqualTo(200);
        database.stop();
        try {
            assertThat(get("/health/readiness").statusCode()).isEqualTo(503);
        } finally {
            database.start();
        }
        assertThat(get("/health/readiness").statusCode()).isEqualTo(200);
    }
}
