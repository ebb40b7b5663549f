package dev.jneon.compute.http;

import dev.jneon.compute.node.ComputeNode;
import dev.jneon.compute.prewarm.OffloadState;
import dev.jneon.compute.prewarm.PrewarmState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The prewarm and offload routes (spec A.11.2, D.1): {@code GET /lfc/prewarm} and
 * {@code GET /lfc/offload} answer the state as {@code {"status": ..., fields}};
 * {@code POST /lfc/prewarm[?from_endpoint=]} and {@code POST /lfc/offload} start one in the
 * background (202, empty body), 429 {@code {"error"}} while one runs, 412 unless the compute is
 * {@code running}; {@code DELETE /lfc/prewarm} cancels a prewarm in progress (202). Stateless.
 */
@RestController
public class LfcController {

    private final ComputeNode node;

    public LfcController(ComputeNode node) {
        this.node = node;
    }

    @GetMapping("/lfc/prewarm")
    Map<String, Object> prewarmState() {
        return json(node.prewarm().state());
    }

    @PostMapping("/lfc/prewarm")
    ResponseEntity<?> prewarm(@RequestParam(name = "from_endpoint", required = false) String fromEndpoint) {
        return node.requestPrewarm(fromEndpoint) ? ResponseEntity.accepted().build() : busy("prewarm");
    }

    @DeleteMapping("/lfc/prewarm")
    ResponseEntity<?> cancelPrewarm() {
        node.prewarm().cancel();
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/lfc/offload")
    Map<String, Object> offloadState() {
        return json(node.offload().state());
    }

    @PostMapping("/lfc/offload")
    ResponseEntity<?> offload() {
        return node.requestOffload() ? ResponseEntity.accepted().build() : busy("offload");
    }

    @ExceptionHandler(ComputeNode.RequestRefused.class)
    ResponseEntity<Map<String, String>> refused(ComputeNode.RequestRefused e) {
        return ResponseEntity.status(e.httpStatus()).body(Map.of("error", e.getMessage()));
    }

    private static ResponseEntity<Map<String, String>> busy(String what) {
        return ResponseEntity.status(429).body(Map.of("error", what + " is already in progress"));
    }

    /** The JSON form of a prewarm state: {@code status} and the state's fields, snake_case. */
    static Map<String, Object> json(PrewarmState s) {
        var out = new LinkedHashMap<String, Object>();
        out.put("status", s.status());
        switch (s) {
            case PrewarmState.Completed c -> {
                out.put("total", c.total());
                out.put("prewarmed", c.prewarmed());
                out.put("skipped", c.skipped());
                out.put("state_download_time_ms", c.stateDownloadTimeMs());
                out.put("uncompress_time_ms", c.uncompressTimeMs());
                out.put("prewarm_time_ms", c.prewarmTimeMs());
            }
            case PrewarmState.Failed f -> out.put("error", f.error());
            case PrewarmState.NotPrewarmed n -> { }
            case PrewarmState.Prewarming p -> { }
            case PrewarmState.Skipped k -> { }
            case PrewarmState.Cancelled c -> { }
        }
        return out;
    }

    /** The JSON form of an offload state. */
    static Map<String, Object> json(OffloadState s) {
        var out = new LinkedHashMap<String, Object>();
        out.put("status", s.status());
        switch (s) {
            case OffloadState.Completed c -> {
                out.put("state_query_time_ms", c.stateQueryTimeMs());
                out.put("compress_time_ms", c.compressTimeMs());
                out.put("state_upload_time_ms", c.stateUploadTimeMs());
            }
            case OffloadState.Failed f -> out.put("error", f.error());
            case OffloadState.NotOffloaded n -> { }
            case OffloadState.Offloading o -> { }
            case OffloadState.Skipped k -> { }
        }
        return out;
    }
}
