package dev.jneon.endpointstorage.http;

import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.endpointstorage.auth.AccessDenied;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps the module's own failures to {@code {"msg": ...}} bodies, ahead of common's
 * {@link dev.jneon.common.service.ApiErrorHandler} (which handles the rest): {@link AccessDenied} to
 * 401 (with {@code WWW-Authenticate: Bearer}) or 403, and backend failures left after retries to 500
 * (503 when the request was cancelled). Refusals are logged at debug, backend failures at error.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class StorageErrors {

    private static final Logger log = LoggerFactory.getLogger(StorageErrors.class);

    @ExceptionHandler(AccessDenied.class)
    ResponseEntity<Map<String, String>> accessDenied(AccessDenied e) {
        log.debug("refused: {}", e.getMessage());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.httpStatus());
        if (e instanceof AccessDenied.Unauthenticated) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.body(Map.of("msg", e.getMessage()));
    }

    @ExceptionHandler(RemoteStorageException.class)
    ResponseEntity<Map<String, String>> backendFailed(RemoteStorageException e) {
        int status = e instanceof RemoteStorageException.Cancelled ? 503 : 500;
        log.error("endpoint storage backend failed: {}", e.getMessage(), e);
        return ResponseEntity.status(status).body(Map.of("msg", "storage backend failed: " + e.getMessage()));
    }
}
