package dev.jneon.pageserver.http;

import dev.jneon.common.service.ApiError;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Small helpers for hand-checked JSON request bodies and Neon's {@code null} unit answers. Stateless. */
final class JsonBodies {

    private JsonBodies() {}

    /** The JSON {@code null} Neon answers for unit results, with {@code status}. */
    static ResponseEntity<String> unit(HttpStatus status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body("null");
    }

    static void requireOnly(Map<String, Object> body, Set<String> allowed, String what) {
        if (body == null) {
            throw new ApiError.BadRequest(what + " body is missing");
        }
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                throw new ApiError.BadRequest("unknown field '" + key + "' in " + what);
            }
        }
    }

    static String string(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new ApiError.BadRequest("field '" + field + "' must be a string");
        }
        return s;
    }

    static Long number(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ApiError.BadRequest("field '" + field + "' must be an integer");
        }
        return n.longValue();
    }
}
