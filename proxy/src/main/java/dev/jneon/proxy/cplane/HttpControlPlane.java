package dev.jneon.proxy.cplane;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code cplane-v1} backend (B.7): {@code GET <base>/wake_compute} and
 * {@code GET <base>/get_endpoint_access_control} with {@code X-Request-ID: <session id>}, an optional
 * {@code Authorization: Bearer <token>}, query {@code session_id}, {@code application_name}, {@code endpointish}
 * and ({@code role} | {@code options[k]=v}), and a 70 s timeout (above the control plane's 60 s wake hold).
 *
 * <p>[jneon] A 404 from access control with reason {@code ROLE_NOT_FOUND} means "no secret" (the client then fails
 * password authentication against a mock); other not-found reasons stay errors so a client learns that the
 * endpoint does not exist. Thread-safe (the JDK client is).
 */
public final class HttpControlPlane implements ControlPlane {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(70);

    private final String baseUrl;
    private final Optional<String> token;
    private final HttpClient client;
    private final Duration timeout;

    /** {@code baseUrl} without a trailing slash, e.g. {@code http://127.0.0.1:3000/proxy/v1}. */
    public HttpControlPlane(String baseUrl, Optional<String> token) {
        this(baseUrl, token, REQUEST_TIMEOUT);
    }

    HttpControlPlane(String baseUrl, Optional<String> token, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token.filter(t -> !t.isBlank());
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public NodeInfo wakeCompute(EndpointId endpoint, NeonOptions options, CallContext context)
            throws ControlPlaneError {
        Map<String, String> query = baseQuery(endpoint, context);
        options.values().forEach((k, v) -> query.put("options[" + k + "]", v));
        return CplaneV1Json.wakeAnswer(get("wake_compute", query, context));
    }

    @Override
    public EndpointAccess accessControl(EndpointId endpoint, String role, CallContext context)
            throws ControlPlaneError {
        Map<String, String> query = baseQuery(endpoint, context);
        query.put("role", role);
        try {
            return CplaneV1Json.accessAnswer(get("get_endpoint_access_control", query, context));
        } catch (ControlPlaneError e) {
            if (e.kind() == ControlPlaneError.Kind.CONTROL_PLANE && e.reason().filter("ROLE_NOT_FOUND"::equals)
                    .isPresent()) {
                return EndpointAccess.of(Optional.empty(), AllowedIps.all());
            }
            throw e;
        }
    }

    private static Map<String, String> baseQuery(EndpointId endpoint, CallContext context) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("session_id", context.sessionId().toString());
        context.applicationName().ifPresent(a -> query.put("application_name", a));
        query.put("endpointish", endpoint.value());
        return query;
    }

    private String get(String segment, Map<String, String> query, CallContext context) throws ControlPlaneError {
        String q = query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + segment + "?" + q))
                .timeout(timeout)
                .header("X-Request-ID", context.sessionId().toString())
                .GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw ControlPlaneError.transport(segment + " timed out: " + e.getMessage(), true);
        } catch (ConnectException e) {
            throw ControlPlaneError.transport(segment + " could not connect: " + e.getMessage(), true);
        } catch (IOException e) {
            throw ControlPlaneError.transport(segment + " failed: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ControlPlaneError.transport(segment + " interrupted", false);
        }
        if (response.statusCode() / 100 != 2) {
            throw CplaneV1Json.errorAnswer(response.statusCode(), response.body());
        }
        return response.body();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
