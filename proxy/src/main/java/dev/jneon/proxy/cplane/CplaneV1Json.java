package dev.jneon.proxy.cplane;

import dev.jneon.common.scram.ScramSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes the {@code cplane-v1} JSON bodies of B.7 into domain records: the wake answer, the access-control
 * answer and the error body. Unknown fields are ignored. Stateless and thread-safe.
 */
final class CplaneV1Json {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CplaneV1Json() {
    }

    static NodeInfo wakeAnswer(String body) throws ControlPlaneError {
        JsonNode root = parse(body);
        String address = text(root, "address").orElseThrow(() -> ControlPlaneError.malformed(
                "wake_compute answer without address"));
        JsonNode aux = root.path("aux");
        var info = new ComputeAux(text(aux, "endpoint_id").orElse(null), text(aux, "project_id").orElse(null),
                text(aux, "branch_id").orElse(null), text(aux, "compute_id").orElse(null),
                text(aux, "cold_start_info").map(ComputeAux.ColdStart::fromJson).orElse(null));
        try {
            return NodeInfo.at(address, text(root, "server_name"), info);
        } catch (IllegalArgumentException e) {
            throw ControlPlaneError.malformed("wake_compute answer: " + e.getMessage());
        }
    }

    static EndpointAccess accessAnswer(String body) throws ControlPlaneError {
        JsonNode root = parse(body);
        Optional<ScramSecret> secret = text(root, "role_secret").filter(s -> !s.isEmpty()).map(s -> {
            try {
                return ScramSecret.parse(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
        if (text(root, "role_secret").filter(s -> !s.isEmpty()).isPresent() && secret.isEmpty()) {
            throw ControlPlaneError.malformed("Console responded with a malformed auth secret");
        }
        JsonNode attempts = root.path("rate_limits").path("connection_attempts");
        var limits = new EndpointAccess.ConnectionLimits(limit(attempts, "tcp"), limit(attempts, "ws"),
                limit(attempts, "http"));
        return new EndpointAccess(secret, text(root, "project_id"), text(root, "account_id"),
                new AllowedIps(strings(root, "allowed_ips")), strings(root, "allowed_vpc_endpoint_ids"),
                root.path("block_public_connections").asBoolean(false),
                root.path("block_vpc_connections").asBoolean(false), limits);
    }

    /** Decodes a non-2xx answer; a body that is not the B.7 shape still yields an error. */
    static ControlPlaneError errorAnswer(int status, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            root = null;
        }
        if (root == null || !root.isObject() || text(root, "error").isEmpty()) {
            return ControlPlaneError.answer(status, "reason unclear (malformed error message)", Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
        JsonNode details = root.path("status").path("details");
        JsonNode delay = details.path("retry_info").path("retry_delay_ms");
        return ControlPlaneError.answer(status, text(root, "error").get(),
                text(details.path("error_info"), "reason"),
                delay.isNumber() ? Optional.of(Duration.ofMillis(delay.asLong())) : Optional.empty(),
                text(details.path("user_facing_message"), "message"));
    }

    private static JsonNode parse(String body) throws ControlPlaneError {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw ControlPlaneError.malformed("control plane answer is not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw ControlPlaneError.malformed("control plane answer is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(value.isString() ? value.asString() : value.toString());
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode value = node.path(field);
        if (value.isArray()) {
            value.forEach(v -> out.add(v.asString()));
        }
        return out;
    }

    private static Optional<EndpointAccess.Limit> limit(JsonNode attempts, String protocol) {
        JsonNode l = attempts.path(protocol);
        if (!l.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new EndpointAccess.Limit(l.path("rps").asDouble(0), l.path("burst").asDouble(0)));
    }
}
