package dev.jneon.safekeeper.timeline;

import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.control.FileControlFileStore;
import dev.jneon.safekeeper.disk.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All timelines of this safekeeper, under {@code <data dir>/<tenant_id>/<timeline_id>/}. At start-up
 * every timeline directory is loaded; one that fails is reported in {@link #broken()} and never
 * overwritten. A new timeline is written in {@code <data dir>/.tmp/} and durably renamed into place,
 * so a crash leaves either nothing or a complete timeline. Deleted timelines leave an in-memory
 * tombstone that blocks re-creation until restart.
 *
 * <p>Thread-safe: lookups are lock-free; create and delete are serialized on this object.
 */
public final class Timelines implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Timelines.class);
    private static final String TEMP_DIR = ".tmp";

    private final NodeId node;
    private final Path dataDir;
    private final Map<TenantTimelineId, Timeline> timelines = new ConcurrentHashMap<>();
    private final Map<String, String> broken = new ConcurrentHashMap<>();
    private final Set<TenantTimelineId> tombstones = ConcurrentHashMap.newKeySet();

    public Timelines(NodeId node, Path dataDir) throws IOException {
        this.node = node;
        this.dataDir = dataDir.toAbsolutePath();
        Files.createDirectories(this.dataDir);
        deleteTree(this.dataDir.resolve(TEMP_DIR));
        loadAll();
    }

    private void loadAll() throws IOException {
        try (Stream<Path> tenants = Files.list(dataDir)) {
            for (Path tenantDir : tenants.filter(Files::isDirectory).toList()) {
                if (tenantDir.getFileName().toString().equals(TEMP_DIR)) {
                    continue;
                }
                try (Stream<Path> dirs = Files.list(tenantDir)) {
                    for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                        load(dir);
                    }
                }
            }
        }
        log.info("loaded {} timelines from {} ({} failed)", timelines.size(), dataDir, broken.size());
    }

    private void load(Path dir) {
        String name = dataDir.relativize(dir).toString();
        try {
            var expected = new TenantTimelineId(TenantId.parse(dir.getParent().getFileName().toString()),
                    TimelineId.parse(dir.getFileName().toString()));
            Timeline t = Timeline.load(node, dir);
            if (!t.ttid().equals(expected)) {
                t.close();
                throw new IOException("control file belongs to timeline " + t.ttid());
            }
            timelines.put(t.ttid(), t);
        } catch (IOException | RuntimeException e) {
            log.error("cannot load timeline directory {}: {}", dir, e.toString());
            broken.put(name, e.toString());
        }
    }

    public Optional<Timeline> get(TenantTimelineId ttid) {
        return Optional.ofNullable(timelines.get(ttid));
    }

    public List<TenantTimelineId> list() {
        return timelines.keySet().stream().sorted().toList();
    }

    /** The loaded timelines that are not closed, in id order: what background tasks visit. */
    public List<Timeline> open() {
        return list().stream().map(timelines::get).filter(t -> t != null && !t.isClosed()).toList();
    }

    /** Directories that failed to load, with the reason; they are left untouched. */
    public Map<String, String> broken() {
        return Map.copyOf(broken);
    }

    private Path dirOf(TenantTimelineId ttid) {
        return dataDir.resolve(ttid.tenantId().toString()).resolve(ttid.timelineId().toString());
    }

    /** Creates the timeline of {@code state} unless it exists (then nothing happens). */
    public synchronized Timeline create(AcceptorState state) {
        TenantTimelineId ttid = state.ttid();
        if (tombstones.contains(ttid)) {
            throw new ApiError.Conflict("timeline " + ttid + " was deleted and cannot be created again");
        }
        Timeline existing = timelines.get(ttid);
        if (existing != null) {
            return existing;
        }
        Path dir = dirOf(ttid);
        if (Files.exists(dir)) {
            throw new ApiError.Conflict("timeline directory " + dir + " exists but did not load: "
                    + broken.getOrDefault(dataDir.relativize(dir).toString(), "unknown reason"));
        }
        try {
            Path tmp = dataDir.resolve(TEMP_DIR).resolve(ttid.timelineId() + "-" + UUID.randomUUID());
            Files.createDirectories(tmp);
            FileControlFileStore.write(tmp, state);
            Files.createDirectories(dir.getParent());
            DurableFiles.fsyncDirectory(dataDir);
            DurableFiles.rename(tmp, dir);
            Timeline t = Timeline.load(node, dir);
            timelines.put(ttid, t);
            log.info("created timeline {} starting at {}", ttid, state.timelineStartLsn());
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create timeline " + ttid, e);
        }
    }

    /** A new empty directory under {@code <data dir>/.tmp/}, on the data directory's file system. */
    public Path newTempDir(TenantTimelineId ttid) throws IOException {
        Path tmp = dataDir.resolve(TEMP_DIR).resolve(ttid.timelineId() + "-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        return tmp;
    }

    /**
     * Moves a complete timeline directory {@code tmp} (control file and WAL, fsynced, e.g. a pulled
     * snapshot) into place with a durable rename and loads it. Returns empty, leaving {@code tmp}
     * for the caller to delete, if the timeline exists meanwhile.
     *
     * @throws ApiError.Conflict if the timeline was deleted here or its directory exists but did not load
     */
    public synchronized Optional<Timeline> install(TenantTimelineId ttid, Path tmp) throws IOException {
        if (tombstones.contains(ttid)) {
            throw new ApiError.Conflict("timeline " + ttid + " was deleted and cannot be created again");
        }
        if (timelines.containsKey(ttid)) {
            return Optional.empty();
        }
        Path dir = dirOf(ttid);
        if (Files.exists(dir)) {
            throw new ApiError.Conflict("timeline directory " + dir + " exists but did not load: "
                    + broken.getOrDefault(dataDir.relativize(dir).toString(), "unknown reason"));
        }
        Files.createDirectories(dir.getParent());
        DurableFiles.fsyncDirectory(dataDir);
        DurableFiles.rename(tmp, dir);
        Timeline t = Timeline.load(node, dir);
        if (!t.ttid().equals(ttid)) {
            t.close();
            broken.put(dataDir.relativize(dir).toString(), "control file belongs to timeline " + t.ttid());
            throw new IOException("installed directory of " + ttid + " holds timeline " + t.ttid());
        }
        timelines.put(ttid, t);
        log.info("installed timeline {} (local WAL from {})", ttid, t.status().state().localStartLsn());
        return Optional.of(t);
    }

    /** Whether {@code ttid} was deleted here since start-up, or its directory failed to load. */
    public boolean isUnavailable(TenantTimelineId ttid) {
        return tombstones.contains(ttid) || broken.containsKey(dataDir.relativize(dirOf(ttid)).toString());
    }

    /** Deletes a directory tree (such as an abandoned temp dir); missing is fine. */
    public static void deleteDirectory(Path dir) throws IOException {
        deleteTree(dir);
    }

    /** Deletes a timeline's directory and leaves a tombstone; returns whether the directory existed. */
    public synchronized boolean delete(TenantTimelineId ttid) {
        tombstones.add(ttid);
        Timeline t = timelines.remove(ttid);
        if (t != null) {
            t.close();
        }
        Path dir = dirOf(ttid);
        boolean existed = Files.exists(dir);
        try {
            deleteTree(dir);
            if (Files.exists(dir.getParent())) {
                DurableFiles.fsyncDirectory(dir.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete timeline " + ttid, e);
        }
        broken.remove(dataDir.relativize(dir).toString());
        return existed;
    }

    /** Deletes every timeline of {@code tenant}; returns timeline id → whether its directory existed. */
    public synchronized Map<TimelineId, Boolean> deleteTenant(TenantId tenant) {
        Map<TimelineId, Boolean> result = new java.util.TreeMap<>();
        Path tenantDir = dataDir.resolve(tenant.toString());
        if (Files.isDirectory(tenantDir)) {
            try (Stream<Path> dirs = Files.list(tenantDir)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    TimelineId id = TimelineId.parse(d.getFileName().toString());
                    result.put(id, delete(new TenantTimelineId(tenant, id)));
                }
                deleteTree(tenantDir);
                DurableFiles.fsyncDirectory(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete tenant " + tenant, e);
            }
        }
        for (TenantTimelineId ttid : list()) {
            if (ttid.tenantId().equals(tenant)) {
                result.put(ttid.timelineId(), delete(ttid));
            }
        }
        return result;
    }

    @Override
    public void close() {
        timelines.values().forEach(Timeline::close);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
