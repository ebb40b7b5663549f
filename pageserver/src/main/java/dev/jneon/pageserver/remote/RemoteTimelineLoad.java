package dev.jneon.pageserver.remote;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.disk.DurableFiles;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.LayerResidence;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadataFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a timeline when remote storage is configured (spec D.7, E.6). With an index in remote
 * storage the index is authoritative: a local file {@code <LayerName>-v1-<gen>} it names with the
 * size it records is kept (Resident), every other local file is deleted, and the layers without a
 * local copy start Evicted, downloaded when read; the metadata (disk_consistent_lsn, GC cutoff...)
 * comes from the index and the WAL above it is streamed again. This covers both an attach with an
 * empty disk and a restart with one. Without an index (a timeline made before remote storage was
 * configured) the local timeline is loaded as it is and everything in it is scheduled for upload.
 * Stateless.
 */
public final class RemoteTimelineLoad {

    private static final Logger log = LoggerFactory.getLogger(RemoteTimelineLoad.class);

    private RemoteTimelineLoad() {}

    /** The timeline, connected to its upload queue and not yet activated. */
    public static Timeline load(RemoteClient client, Optional<IndexPart> index, Path dir, TenantShardId tenant,
            TimelineId id, Generation generation, Timeline ancestor, TenantConf conf, Clock clock) {
        if (index.isEmpty()) {
            Timeline t = TimelineLoader.load(dir, tenant, id, generation, ancestor, conf, clock);
            t.enableUploads(client.newQueue(tenant, id, generation, dir, Lsn.INVALID));
            t.layers().historic().forEach(t.uploads()::scheduleLayerUpload);
            t.scheduleIndexUpload();
            log.info("{}/{}: no index in remote storage, uploading {} local layers", tenant, id, t.layers().historic().size());
            return t;
        }
        IndexPart ip = index.get();
        List<PersistentLayer> layers = reconcile(client, ip, dir, tenant, id);
        Timeline t = TimelineLoader.assemble(dir, tenant, id, generation, ancestor, ip.metadata(), conf, layers, clock);
        t.enableUploads(client.newQueue(tenant, id, generation, dir, ip.diskConsistentLsn()));
        long resident = layers.stream().filter(l -> l.residence().isResident()).count();
        log.info("{}/{}: loaded from the index at {}: {} layers, {} resident", tenant, id, ip.diskConsistentLsn(),
                layers.size(), resident);
        return t;
    }

    private static List<PersistentLayer> reconcile(RemoteClient client, IndexPart ip, Path dir, TenantShardId tenant,
            TimelineId id) {
        Map<String, Map.Entry<LayerName, IndexPart.LayerFileMetadata>> expected = new HashMap<>();
        ip.layers().entrySet().forEach(e -> expected.put(e.getKey().fileName(e.getValue().generation()), e));
        java.util.Set<String> kept = new java.util.HashSet<>();
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals(TimelineMetadataFile.NAME)) {
                        continue;
                    }
                    var entry = expected.get(name);
                    if (entry != null && Files.size(file) == entry.getValue().fileSize()) {
                        kept.add(name);
                    } else {
                        log.info("{}/{}: deleting local file {}: not in the index with this size", tenant, id, name);
                        Files.delete(file);
                    }
                }
            }
            DurableFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reconcile " + dir + " with the remote index", e);
        }
        List<PersistentLayer> layers = new ArrayList<>();
        for (var e : ip.layers().entrySet()) {
            LayerName name = e.getKey();
            Generation gen = e.getValue().generation();
            Path path = dir.resolve(name.fileName(gen));
            LayerResidence.Download download = client.downloader(tenant, id, name, gen);
            if (kept.contains(path.getFileName().toString())) {
                PersistentLayer layer = PersistentLayer.open(path);
                layer.residence().markUploaded(download);
                layers.add(layer);
            } else {
                layers.add(PersistentLayer.of(name, gen, LayerResidence.evicted(path, e.getValue().fileSize(), download)));
            }
        }
        return layers;
    }
}
