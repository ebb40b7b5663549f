package dev.jneon.controlplane.http;

import dev.jneon.controlplane.client.JsonClient;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Failures of the services the control plane calls, as {@code {"msg"}}: a storage service or compute
 * that answered an error is 502, one that could not be reached 503. Before the shared handler, which
 * would make them 500s.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class StorageErrors {

    private static final Logger log = LoggerFactory.getLogger(StorageErrors.class);

    @ExceptionHandler(JsonClient.CallFailed.class)
    ResponseEntity<Map<String, String>> refused(JsonClient.CallFailed e) {
        log.warn("a call to another service failed: {}", e.getMessage());
        return ResponseEntity.status(502).body(Map.of("msg", e.getMessage()));
    }

    @ExceptionHandler(UncheckedIOException.class)
    ResponseEntity<Map<String, String>> unreachable(UncheckedIOException e) {
        log.warn("another service is unreachable: {}", e.getMessage());
        return ResponseEntity.status(503).body(Map.of("msg", e.getMessage()));
    }
}
