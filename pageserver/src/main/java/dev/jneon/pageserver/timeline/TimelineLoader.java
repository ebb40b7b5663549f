package dev.jneon.pageserver.timeline;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.layer.EphemeralFile;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.compaction.L0Compaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates timelines and loads them from their directory
 * ({@code <workdir>/tenants/<tenant_shard_id>/timelines/<timeline_id>/}: {@value TimelineMetadataFile#NAME},
 * layer files, ephemeral files). Load keeps what is consistent with the metadata (D.7): temp and
 * ephemeral files are deleted, as are layers reaching above disk_consistent_lsn (written after
 * the last metadata update; that WAL is ingested again) and L0s whose compaction output exists.
 * Stateless.
 */
public final class TimelineLoader {

    private static final Logger log = LoggerFactory.getLogger(TimelineLoader.class);

    private TimelineLoader() {}

    /**
     * A new timeline in {@code dir} (created). With a valid disk_consistent_lsn (a branch) the
     * metadata is persisted at once and layers start above it; without (a bootstrap) the first
     * layer starts at initdb_lsn and the metadata appears with the first flush.
     */
    public static Timeline create(Path dir, TenantShardId tenant, TimelineId id, Generation generation, Timeline ancestor,
            TimelineMetadata metadata, TenantConf conf, Clock clock) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create timeline directory " + dir, e);
        }
        Lsn disk = metadata.diskConsistentLsn();
        if (disk.isValid()) {
            TimelineMetadataFile.write(dir, metadata);
        }
        Lsn firstLayerStart = disk.isValid() ? disk.plus(1) : metadata.initdbLsn();
        return new Timeline(tenant, id, dir, generation, ancestor, metadata, conf, List.of(), firstLayerStart, clock);
    }

    /** Loads a timeline whose directory has metadata; the caller activates it. */
    public static Timeline load(Path dir, TenantShardId tenant, TimelineId id, Generation generation, Timeline ancestor,
            TenantConf conf, Clock clock) {
        TimelineMetadata metadata = TimelineMetadataFile.read(dir);
        Lsn disk = metadata.diskConsistentLsn();
        List<PersistentLayer> layers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> layerFiles = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(LayerName.TEMP_SUFFIX) || name.startsWith(EphemeralFile.PREFIX)) {
                    Files.delete(file);
                } else if (!name.equals(TimelineMetadataFile.NAME)) {
                    layerFiles.add(file);
                }
            }
            List<LayerName> names = layerFiles.stream().map(f -> LayerName.parseFileName(f.getFileName().toString()).name()).toList();
            for (int i = 0; i < layerFiles.size(); i++) {
                LayerName layer = names.get(i);
                if (layer.lsns().end().plus(-1).compareTo(disk) > 0) {
                    log.info("{}/{}: deleting layer {} above disk_consistent_lsn {}", tenant, id, layer, disk);
                    Files.delete(layerFiles.get(i));
                } else if (L0Compaction.compactedAway(layer, names)) {
                    log.info("{}/{}: deleting L0 {} left behind by a compaction", tenant, id, layer);
                    Files.delete(layerFiles.get(i));
                } else {
                    layers.add(PersistentLayer.open(layerFiles.get(i)));
                }
            }
        } catch (IOException e) {
            layers.forEach(PersistentLayer::close);
            throw new UncheckedIOException("cannot load timeline directory " + dir, e);
        }
        return new Timeline(tenant, id, dir, generation, ancestor, metadata, conf, layers, disk.plus(1), clock);
    }

    /**
     * A timeline from layers the caller has already reconciled (attach or load from remote storage:
     * some of them may be evicted); {@code metadata} is persisted first. The caller activates it.
     */
    public static Timeline assemble(Path dir, TenantShardId tenant, TimelineId id, Generation generation, Timeline ancestor,
            TimelineMetadata metadata, TenantConf conf, List<PersistentLayer> layers, Clock clock) {
        TimelineMetadataFile.write(dir, metadata);
        return new Timeline(tenant, id, dir, generation, ancestor, metadata, conf, layers,
                metadata.diskConsistentLsn().plus(1), clock);
    }
}
