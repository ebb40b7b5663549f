package dev.jneon.pageserver.http;

import dev.jneon.pageserver.tenant.BranchPointRejected;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The pageserver's own error statuses that common's ApiError does not have: 406 Not Acceptable for
 * a rejected branch point (spec F.3), in the same {@code {"msg"}} body. Stateless.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PageserverErrors {

    @ExceptionHandler(BranchPointRejected.class)
    ResponseEntity<Map<String, String>> branchPointRejected(BranchPointRejected e) {
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE).body(Map.of("msg", e.getMessage()));
    }
}
