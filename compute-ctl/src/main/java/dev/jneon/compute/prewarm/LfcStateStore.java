package dev.jneon.compute.prewarm;

import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.compute.spec.ComputeSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code lfc_state} object of one endpoint in endpoint storage (spec C, D.1):
 * {@code http://{endpoint_storage_addr}/{tenant}/{timeline}/{endpoint}/lfc_state}, sent with
 * {@code Authorization: Bearer {endpoint_storage_token}}. A GET of 404 means "no saved state"; any
 * other status but 200 is an {@link IOException} with the status and the start of the body. No
 * retries: a failed offload is retried at the next interval, a failed prewarm is only a colder cache.
 * Thread-safe (immutable; the JDK client is thread-safe).
 */
public final class LfcStateStore {

    public static final String KEY = "lfc_state";
    private static final Pattern ENDPOINT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String token;
    private final String endpointId;

    private LfcStateStore(InetSocketAddress address, String token, TenantTimelineId ttid, String endpointId) {
        this.base = "http://" + address.getHostString() + ":" + address.getPort() + "/" + ttid.tenantId() + "/"
                + ttid.timelineId() + "/";
        this.token = token;
        this.endpointId = checkedEndpoint(endpointId);
    }

    /**
     * The store the spec names.
     *
     * @throws IllegalStateException if {@code endpoint_storage_addr}, {@code endpoint_storage_token} or
     *                               {@code endpoint_id} is missing (prewarm and offload then fail)
     */
    public static LfcStateStore of(ComputeSpec spec) {
        InetSocketAddress address = spec.endpointStorage()
                .orElseThrow(() -> new IllegalStateException("endpoint_storage_addr is not set in the spec"));
        if (spec.endpointStorageToken() == null || spec.endpointStorageToken().isBlank()) {
            throw new IllegalStateException("endpoint_storage_token is not set in the spec");
        }
        if (spec.endpointId() == null || spec.endpointId().isBlank()) {
            throw new IllegalStateException("endpoint_id is not set in the spec");
        }
        return new LfcStateStore(address, spec.endpointStorageToken(), spec.ttid(), spec.endpointId());
    }

    /** Checks an endpoint id used in a URL path (one safe segment). */
    public static String checkedEndpoint(String endpointId) {
        if (endpointId == null || !ENDPOINT_ID.matcher(endpointId).matches() || endpointId.equals("..")) {
            throw new IllegalArgumentException("invalid endpoint id '" + endpointId + "'");
        }
        return endpointId;
    }

    /** This endpoint's saved state, or another endpoint's of the same timeline; empty if none is saved. */
    public Optional<byte[]> get(String fromEndpoint) throws IOException, InterruptedException {
        String endpoint = fromEndpoint == null ? endpointId : checkedEndpoint(fromEndpoint);
        HttpResponse<byte[]> r = HTTP.send(request(endpoint).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return switch (r.statusCode()) {
            case 200 -> Optional.of(r.body());
            case 404 -> Optional.empty();
            default -> throw failure("GET", endpoint, r);
        };
    }

    /** Replaces this endpoint's saved state with {@code body}. */
    public void put(byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(request(endpointId).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw failure("PUT", endpointId, r);
        }
    }

    private HttpRequest.Builder request(String endpoint) {
        return HttpRequest.newBuilder(URI.create(base + endpoint + "/" + KEY)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token);
    }

    private IOException failure(String method, String endpoint, HttpResponse<byte[]> r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        return new IOException("endpoint storage answered " + method + " " + endpoint + "/" + KEY + " with "
                + r.statusCode() + ": " + (body.length() > 200 ? body.substring(0, 200) : body));
    }
}
