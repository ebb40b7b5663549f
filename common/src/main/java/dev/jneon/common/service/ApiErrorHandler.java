package dev.jneon.common.service;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/**
 * Turns every failure of an HTTP handler into Neon's error body {@code {"msg": "..."}} with the
 * right status. Clients never see a stack trace; unexpected failures are logged here, once.
 */
@RestControllerAdvice
public class ApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(ApiError.class)
    ResponseEntity<Map<String, String>> apiError(ApiError e) {
        if (e instanceof ApiError.Internal) {
            log.error("internal error: {}", e.getMessage());
        }
        return body(e.httpStatus(), e.getMessage());
    }

    @ExceptionHandler({IllegalArgumentException.class, HttpMessageNotReadableException.class,
            MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<Map<String, String>> badRequest(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root instanceof JacksonException json ? json.getOriginalMessage() : root.getMessage();
        return body(400, "bad request: " + (message != null ? message : e.getClass().getSimpleName()));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, String>> noRoute(NoResourceFoundException e) {
        return body(404, "no such route: /" + e.getResourcePath());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, String>> wrongMethod(HttpRequestMethodNotSupportedException e) {
        return body(405, "method " + e.getMethod() + " not allowed here");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> wrongMediaType(HttpMediaTypeNotSupportedException e) {
        return body(415, "unsupported content type: " + e.getContentType());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e) {
        log.error("unexpected error in request handler", e);
        return body(500, "internal error: " + e.getClass().getSimpleName());
    }

    private static ResponseEntity<Map<String, String>> body(int status, String message) {
        return ResponseEntity.status(HttpStatus.valueOf(status)).body(Map.of("msg", message));
    }
}
