package dev.jneon.pageserver.remote;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.json.JneonJacksonModule;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A timeline's {@code index_part.json} (spec E.2, Neon's format): the layers in remote storage and
 * the timeline metadata they make consistent.
 * <pre>
 * {"version": 15,
 *  "layer_metadata": {"&lt;LayerName&gt;": {"file_size": 8192, "generation": 1}, ...},
 *  "disk_consistent_lsn": "0/16960E8",
 *  "metadata_bytes": {"disk_consistent_lsn": "0/16960E8", "prev_record_lsn": "0/16960B0"|null,
 *                     "ancestor_timeline": null|"&lt;32 hex&gt;", "ancestor_lsn": "0/0",
 *                     "latest_gc_cutoff_lsn": "0/0", "initdb_lsn": "0/14EE0D8", "pg_version": 15},
 *  ...other fields Neon writes, kept as read}
 * </pre>
 * {@code generation} is omitted for layers without one. Reading accepts versions 7 to 15 (older
 * ones held the metadata as bytes), {@code metadata} as an alias of {@code metadata_bytes}, and
 * keeps unknown top-level fields in {@link #extra} so a read-modify-write preserves them. Written
 * once per (timeline, generation, upload): objects are never changed, the next upload replaces it
 * under the same key only within one generation. Immutable.
 *
 * @param layers each layer's size and generation
 * @param metadata the timeline metadata; its disk_consistent_lsn is the index's
 * @param extra unknown top-level fields, written back as read
 */
public record IndexPart(SortedMap<LayerName, LayerFileMetadata> layers, TimelineMetadata metadata,
        Map<String, JsonNode> extra) {

    public static final int VERSION = 15;
    static final int OLDEST_READABLE = 7;
    private static final Set<String> KNOWN = Set.of("version", "layer_metadata", "disk_consistent_lsn", "metadata_bytes",
            "metadata");
    private static final JsonMapper JSON = JsonMapper.builder().addModule(new JneonJacksonModule()).build();

    /** One layer's entry: its byte size and the generation that wrote it (part of its object key). */
    public record LayerFileMetadata(long fileSize, Generation generation) {
        public LayerFileMetadata {
            if (fileSize < 0) {
                throw new IllegalArgumentException("negative layer file size " + fileSize);
            }
        }
    }

    public IndexPart {
        layers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(layers));
        extra = Map.copyOf(extra);
        if (metadata == null) {
            throw new IllegalArgumentException("index_part needs metadata");
        }
    }

    /** The index naming {@code layers} at {@code metadata}. */
    public static IndexPart of(TimelineMetadata metadata, Collection<PersistentLayer> layers) {
        SortedMap<LayerName, LayerFileMetadata> m = new TreeMap<>();
        for (PersistentLayer l : layers) {
            m.put(l.name(), new LayerFileMetadata(l.fileSize(), l.generation()));
        }
        return new IndexPart(m, metadata, Map.of());
    }

    public Lsn diskConsistentLsn() {
        return metadata.diskConsistentLsn();
    }

    public byte[] encode() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ObjectNode lm = root.putObject("layer_metadata");
        layers.forEach((name, meta) -> {
            ObjectNode entry = lm.putObject(name.toString());
            entry.put("file_size", meta.fileSize());
            if (!meta.generation().isNone()) {
                entry.put("generation", meta.generation().number());
            }
        });
        root.put("disk_consistent_lsn", metadata.diskConsistentLsn().toString());
        root.set("metadata_bytes", JSON.valueToTree(metadata));
        extra.forEach(root::set);
        return JSON.writeValueAsBytes(root);
    }

    public static IndexPart parse(byte[] json) {
        JsonNode root = JSON.readTree(json);
        int version = root.path("version").asInt(-1);
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new IllegalArgumentException("index_part version " + version + " is not readable (" + OLDEST_READABLE
                    + ".." + VERSION + ")");
        }
        JsonNode md = root.has("metadata_bytes") ? root.get("metadata_bytes") : root.get("metadata");
        if (md == null || !md.isObject()) {
            throw new IllegalArgumentException("index_part has no metadata object");
        }
        TimelineMetadata metadata = JSON.treeToValue(md, TimelineMetadata.class);
        SortedMap<LayerName, LayerFileMetadata> layers = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("layer_metadata").properties()) {
            JsonNode gen = e.getValue().get("generation");
            layers.put(LayerName.parse(e.getKey()), new LayerFileMetadata(e.getValue().path("file_size").asLong(-1),
                    gen == null || gen.isNull() ? Generation.NONE : Generation.of(gen.asLong())));
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!KNOWN.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        return new IndexPart(layers, metadata, extra);
    }
}
