package dev.jneon.compute.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.id.Lsn;
import dev.jneon.compute.node.ComputeNode;
import dev.jneon.compute.spec.ComputeConfig;
import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.SpecParser;
import dev.jneon.compute.state.ComputeStatus;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * compute_ctl's HTTP API (spec A.11, the routes that apply): {@code GET /status},
 * {@code POST /configure} (blocks until {@code running} or {@code failed}), {@code POST /terminate},
 * {@code GET /metrics.json}. Errors are {@code {"error": "..."}}: 400 for a bad spec or mode,
 * 412 {@code invalid compute status: <state>} when the state refuses the request, 500
 * {@code compute configuration failed: ...}. Served on loopback without JWT. Stateless (the
 * {@link ComputeNode} is thread-safe).
 */
@RestController
public class ComputeController {

    private final ComputeNode node;

    public ComputeController(ComputeNode node) {
        this.node = node;
    }

    /** Body of {@code /status} and {@code /configure}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StatusJson(@JsonProperty("start_time") Instant startTime, String tenant, String timeline, String status,
            @JsonProperty("last_active") Instant lastActive, String error, String mode) {

        static StatusJson of(ComputeNode.Status s) {
            ComputeSpec spec = s.spec();
            return new StatusJson(s.startTime(), spec == null ? null : spec.tenantId().toString(),
                    spec == null ? null : spec.timelineId().toString(), s.state().status().jsonName(),
                    s.state().lastActive(), s.state().error(), spec == null ? null : spec.mode().label());
        }
    }

    /** Body of {@code /terminate}. */
    record TerminateJson(Lsn lsn) {}

    @GetMapping("/status")
    StatusJson status() {
        return StatusJson.of(node.status());
    }

    @PostMapping("/configure")
    ResponseEntity<?> configure(@RequestBody(required = false) String body) throws InterruptedException {
        ComputeConfig config = SpecParser.parse(body);
        if (config.spec() == null) {
            return error(400, "compute spec is required");
        }
        var after = node.configure(config.spec());
        if (after.status() == ComputeStatus.FAILED) {
            return error(500, "compute configuration failed: " + after.error());
        }
        return ResponseEntity.ok(status());
    }

    @PostMapping("/terminate")
    ResponseEntity<TerminateJson> terminate(@RequestParam(name = "mode", defaultValue = "fast") String mode)
            throws InterruptedException {
        if (!mode.equals("fast") && !mode.equals("immediate")) {
            throw new ComputeNode.RequestRefused(400, "mode must be fast or immediate, got " + mode);
        }
        ComputeNode.Termination t = node.terminate(mode.equals("immediate"));
        return ResponseEntity.status(t.already() ? 201 : 200).body(new TerminateJson(t.lsn()));
    }

    @GetMapping("/metrics.json")
    Map<String, Long> metricsJson() {
        return node.timings();
    }

    @ExceptionHandler(ComputeNode.RequestRefused.class)
    ResponseEntity<Map<String, String>> refused(ComputeNode.RequestRefused e) {
        return error(e.httpStatus(), e.getMessage());
    }

    @ExceptionHandler(SpecParser.SpecException.class)
    ResponseEntity<Map<String, String>> badSpec(SpecParser.SpecException e) {
        return error(400, e.getMessage());
    }

    private static ResponseEntity<Map<String, String>> error(int status, String message) {
        return ResponseEntity.status(HttpStatus.valueOf(status)).body(Map.of("error", message));
    }
}
