package dev.jneon.common.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = ApiErrorHandlerIT.App.class, properties = "spring.application.name=errors-test")
class ApiErrorHandlerIT {

    @SpringBootApplication
    static class App {
        @RestController
        static class Failing {
            @GetMapping("/fail/{kind}")
            String fail(@PathVariable String kind) {
                throw switch (kind) {
                    case "notfound" -> new ApiError.NotFound("tenant 42 not found");
                    case "conflict" -> new ApiError.Conflict("timeline exists with another ancestor");
                    case "unavailable" -> new ApiError.Unavailable("shutting down");
                    case "illegal" -> new IllegalArgumentException("malformed LSN 'zz'");
                    default -> new IllegalStateException("boom with secret detail");
                };
            }

            @PostMapping("/echo")
            Record echo(@RequestBody Record body) {
                return body;
            }
        }

        record Record(int value) {}
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)));
    }

    @Test
    void mapsEachApiErrorToItsStatusWithNeonsBody() throws Exception {
        assertThat(get("/fail/notfound")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"msg\":\"tenant 42 not found\"}");
        });
        assertThat(get("/fail/conflict").statusCode()).isEqualTo(409);
        assertThat(get("/fail/unavailable").statusCode()).isEqualTo(503);
        assertThat(get("/fail/illegal")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("malformed LSN 'zz'");
        });
    }

    @Test
    void hidesStackTracesOfUnexpectedErrors() throws Exception {
        var r = get("/fail/other");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("at dev.jneon").doesNotContain("secret detail");
    }

    @Test
    void rejectsMalformedJsonAndUnknownRoutesWithAMessage() throws Exception {
        var bad = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"value\": ")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).startsWith("{\"msg\":\"bad request: ").doesNotContain("Source:");
        var missing = get("/no/such/route");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("msg");
    }
}
