package dev.jneon.common.service;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves {@code GET /v1/status}, the liveness answer every jneon service gives. Immutable. */
@RestController
public final class StatusController {

    private final ServiceStatus status;

    public StatusController(ServiceStatus status) {
        this.status = status;
    }

    @GetMapping("/v1/status")
    public ServiceStatus status() {
        return status;
    }
}
