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

/** Readiness follows the database: down while it is stopped, up again once it is back. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"jneon.grpc.port=0", "spring.datasource.hikari.connection-timeout=1000"})
@DirtiesContext
class StorageControllerReadinessIT {

    @RegisterExtension
    static final LocalPostgres database = new LocalPostgres();

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> database.jdbcUrl(LocalPostgres.DATABASE));
    }

    @LocalServerPort
    int port;

    private int readiness() throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void readinessFollowsTheDatabase() throws Exception {
        assertThat(readiness()).isEqualTo(200);
        database.stop();
        try {
            assertThat(readiness()).isEqualTo(503);
        } finally {
            database.start();
        }
        assertThat(readiness()).isEqualTo(200);
    }
}
