package dev.jneon.controlplane.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.springframework.http.ResponseEntity;

/**
 * An error answered to the proxy in the control-plane error shape of spec B.7:
 * {@code {"error": msg, "status": {"code", "message", "details": {"error_info": {"reason"},
 * "retry_info": {"retry_delay_ms"}, "user_facing_message": {"message"}}}}}, absent parts omitted.
 * The proxy retries iff {@code retry_info} is present or the reason is a retriable one. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ProxyError(String error, Status status) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(String code, String message, Details details) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Details(@JsonProperty("error_info") Map<String, String> errorInfo,
            @JsonProperty("retry_info") Map<String, Long> retryInfo,
            @JsonProperty("user_facing_message") Map<String, String> userFacingMessage) {}

    static ResponseEntity<ProxyError> notFound(String endpointish) {
        String msg = "endpoint " + endpointish + " not found";
        return answer(404, msg, "NOT_FOUND", new Details(Map.of("reason", "ENDPOINT_NOT_FOUND"), null, null));
    }

    static ResponseEntity<ProxyError> disabled(String endpointId) {
        String msg = "endpoint " + endpointId + " is disabled";
        return answer(406, msg, "FAILED_PRECONDITION", new Details(Map.of("reason", "ENDPOINT_DISABLED"), null,
                Map.of("message", "Endpoint " + endpointId + " is disabled.")));
    }

    static ResponseEntity<ProxyError> stillStarting(String endpointId, long retryDelayMs) {
        String msg = "compute of endpoint " + endpointId + " is still starting";
        return answer(503, msg, "UNAVAILABLE", new Details(Map.of("reason", "RUNNING_OPERATIONS"),
                Map.of("retry_delay_ms", retryDelayMs), null));
    }

    static ResponseEntity<ProxyError> badRequest(String msg) {
        return answer(400, msg, "INVALID_ARGUMENT", null);
    }

    /** A failed start: 500 without retry information, so proxies cache it (crash-loop backoff). */
    static ResponseEntity<ProxyError> startFailed(String msg) {
        return answer(500, msg, "INTERNAL", null);
    }

    private static ResponseEntity<ProxyError> answer(int http, String msg, String code, Details details) {
        return ResponseEntity.status(http).body(new ProxyError(msg, new Status(code, msg, details)));
    }
}
