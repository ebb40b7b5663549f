package dev.jneon.controlplane.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP to the other services of the stack (pageserver, safekeepers, compute-ctl). A non-2xx
 * answer is a {@link CallFailed} with the status and body; an unreachable peer an
 * {@link UncheckedIOException}. Thread-safe (one shared {@link HttpClient}).
 */
public final class JsonClient {

    /** The mapper request bodies are written with and answers read with. */
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A non-2xx answer. */
    public static final class CallFailed extends RuntimeException {
        private final int status;

        CallFailed(String request, int status, String body) {
            super(request + " answered " + status + ": " + body, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public JsonNode get(String url, Duration timeout) {
        return call("GET", url, null, timeout);
    }

    /**
     * Sends {@code body} (serialized with {@link #JSON}; null = no body) and returns the answer's
     * JSON ({@code null} node for an empty body).
     */
    public JsonNode call(String method, String url, Object body, Duration timeout) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(method + " " + url + " interrupted", e));
        }
        if (response.statusCode() / 100 != 2) {
            throw new CallFailed(method + " " + url, response.statusCode(), response.body());
        }
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
