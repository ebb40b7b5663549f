package dev.jneon.cli.http;

import dev.jneon.cli.CliException;
import dev.jneon.common.json.JneonJacksonModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON over HTTP to the stack's management APIs. A non-2xx answer becomes a {@link CliException}
 * carrying the service's {@code {"msg"}}, and an unreachable service one naming the address.
 * Thread-safe.
 */
public final class JsonHttp {

    public static final JsonMapper JSON = JsonMapper.builder().addModule(new JneonJacksonModule()).build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;

    public JsonHttp(Duration timeout) {
        this.timeout = timeout;
    }

    public JsonNode get(String url) {
        return send("GET", url, null);
    }

    public JsonNode post(String url, Object body) {
        return send("POST", url, body);
    }

    public JsonNode put(String url, Object body) {
        return send("PUT", url, body);
    }

    public JsonNode delete(String url) {
        return send("DELETE", url, null);
    }

    /** Sends {@code body} (any Jackson-writable value, or null) and parses the answer; {@code null} if empty. */
    public JsonNode send(String method, String url, Object body) {
        var publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json").method(method, publisher).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw CliException.failed(method + " " + url + ": " + e.getMessage() + " (is the stack up?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted");
        }
        String text = response.body();
        if (response.statusCode() / 100 != 2) {
            throw CliException.failed(method + " " + url + ": " + response.statusCode() + " " + message(text));
        }
        return text.isBlank() ? null : JSON.readTree(text);
    }

    private static String message(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.has("msg") ? node.get("msg").asString() : body;
        } catch (RuntimeException notJson) {
            return body;
        }
    }
}
