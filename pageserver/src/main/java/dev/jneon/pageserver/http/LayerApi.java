package dev.jneon.pageserver.http;

import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.layer.InMemoryLayer;
import dev.jneon.pageserver.layer.LayerMap;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Neon's layer routes (spec D.7): {@code GET .../layer} lists the layer map as LayerMapInfo
 * ({@code in_memory_layers: [{kind, lsn_start, lsn_end}]}, {@code historic_layers: [{kind,
 * layer_file_name, layer_file_size, lsn_start, lsn_end, remote, l0, visible}]}, {@code remote} true
 * when evicted); {@code DELETE .../layer/{layer_file_name}} evicts one layer: 200 {@code true}, 304
 * when it is already evicted, 404 unknown, 503 not yet uploaded (or no remote storage). Stateless.
 */
@RestController
public class LayerApi {

    private final Tenants tenants;

    public LayerApi(Tenants tenants) {
        this.tenants = tenants;
    }

    @GetMapping("/v1/tenant/{tenantShardId}/timeline/{timelineId}/layer")
    public Map<String, Object> list(@PathVariable String tenantShardId, @PathVariable String timelineId) {
        LayerMap map = timeline(tenantShardId, timelineId).layers();
        List<Map<String, Object>> memory = new ArrayList<>();
        List<InMemoryLayer> inMemory = new ArrayList<>(map.frozen());
        if (map.open() != null) {
            inMemory.add(map.open());
        }
        for (InMemoryLayer l : inMemory) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", l == map.open() ? "Open" : "Frozen");
            m.put("lsn_start", l.start().toString());
            m.put("lsn_end", l == map.open() ? null : l.lsnRange().end().toString());
            memory.add(m);
        }
        List<Map<String, Object>> historic = new ArrayList<>();
        for (PersistentLayer l : map.historic()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", l.name().image() ? "Image" : "Delta");
            m.put("layer_file_name", l.name().toString());
            m.put("layer_file_size", l.fileSize());
            m.put("lsn_start", l.lsnRange().start().toString());
            m.put("lsn_end", l.name().image() ? null : l.lsnRange().end().toString());
            m.put("remote", !l.residence().isResident());
            m.put("l0", l.name().image() ? null : l.name().isL0());
            m.put("visible", true);
            historic.add(m);
        }
        return Map.of("in_memory_layers", memory, "historic_layers", historic);
    }

    @DeleteMapping("/v1/tenant/{tenantShardId}/timeline/{timelineId}/layer/{layerFileName}")
    public ResponseEntity<String> evict(@PathVariable String tenantShardId, @PathVariable String timelineId,
            @PathVariable String layerFileName) {
        Timeline t = timeline(tenantShardId, timelineId);
        LayerName name = LayerName.parseFileName(layerFileName).name();
        PersistentLayer layer = t.layers().historic().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new ApiError.NotFound("layer " + layerFileName + " not found in " + t));
        if (!layer.residence().isResident()) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
        }
        if (!layer.residence().isUploaded()) {
            throw new ApiError.Unavailable("layer " + layerFileName + " is not in remote storage yet");
        }
        if (!layer.residence().evict()) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
        }
        if (tenants.remote() != null) {
            tenants.remote().counters().evicted();
        }
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_JSON).body("true");
    }

    private Timeline timeline(String tenantShardId, String timelineId) {
        return tenants.active(TenantShardId.parse(tenantShardId)).timeline(TimelineId.parse(timelineId));
    }
}
