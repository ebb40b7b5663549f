package dev.jneon.pageserver.tenant;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.disk.DurableFiles;
import dev.jneon.pageserver.remote.IndexPart;
import dev.jneon.pageserver.remote.RemoteClient;
import dev.jneon.pageserver.remote.RemoteTimelineLoad;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import dev.jneon.pageserver.timeline.TimelineMetadataFile;
import dev.jneon.pageserver.timeline.TimelineSizes;
import dev.jneon.pageserver.timeline.TimelineState;
import dev.jneon.pageserver.timeline.gc.GcLoop;
import dev.jneon.pageserver.timeline.gc.GcResult;
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
import java.util.Set;
import java.util.TreeSet;
import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attached tenant shard: its location ({@link TenantConfigFile} in {@code <workdir>/tenants/<id>/})
 * and its timelines under {@code timelines/}. Loading deletes timeline
 * directories without metadata (creations cut short by a crash) and loads the rest parents first.
 * With remote storage ({@link RemoteClient}) the timelines are those of remote storage plus local
 * ones never uploaded, each loaded by {@link RemoteTimelineLoad} (the index is authoritative), so
 * attaching a tenant to an empty disk brings all its timelines back with their layers Evicted.
 *
 * <p>Thread-safe: the timeline map is concurrent; creations and deletions are serialised on
 * {@link #timelineLock()}; location and state are volatile.
 */
public final class TenantShard {

    private static final Logger log = LoggerFactory.getLogger(TenantShard.class);

    private final TenantShardId id;
    private final Path dir;
    private final Clock clock;
    private final RemoteClient remote;
    private final Map<TimelineId, Timeline> timelines = new ConcurrentSkipListMap<>();
    private final Object timelineLock = new Object();
    private volatile LocationConf location;
    private volatile TenantState state = TenantState.ACTIVE;
    private volatile String brokenReason;
    private volatile GcLoop gcLoop;

    private TenantShard(TenantShardId id, Path dir, LocationConf location, Clock clock, RemoteClient remote) {
        this.id = id;
        this.remote = remote;
        this.dir = dir;
        this.location = location;
        this.clock = clock;
    }

    /** A new tenant shard with no timelines; its location is persisted before it is returned. */
    public static TenantShard create(Path dir, TenantShardId id, LocationConf location, Clock clock) {
        return create(dir, id, location, clock, null);
    }

    /**
     * Attaches a tenant shard that is not on local disk; with {@code remote} (null: none) its
     * timelines are loaded from remote storage and activated before this returns.
     */
    public static TenantShard create(Path dir, TenantShardId id, LocationConf location, Clock clock, RemoteClient remote) {
        try {
            Files.createDirectories(dir.resolve("timelines"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create tenant directory " + dir, e);
        }
        TenantConfigFile.write(dir, location);
        TenantShard tenant = new TenantShard(id, dir, location, clock, remote);
        if (remote != null) {
            tenant.loadTimelines();
        }
        tenant.startGcLoop();
        return tenant;
    }

    /** Loads a tenant shard and activates its timelines; a failure leaves it Broken, not absent. */
    public static TenantShard load(Path dir, TenantShardId id, Clock clock) {
        return load(dir, id, clock, null);
    }

    /** Loads a tenant shard from local disk, and with {@code remote} (null: none) from remote storage. */
    public static TenantShard load(Path dir, TenantShardId id, Clock clock, RemoteClient remote) {
        LocationConf location = TenantConfigFile.read(dir);
        TenantShard tenant = new TenantShard(id, dir, location, clock, remote);
        try {
            tenant.loadTimelines();
        } catch (RuntimeException e) {
            log.error("tenant {} failed to load", id, e);
            tenant.brokenReason = e.getMessage();
            tenant.state = TenantState.BROKEN;
        }
        tenant.startGcLoop();
        return tenant;
    }

    private void loadTimelines() {
        Map<TimelineId, TimelineMetadata> pending = new HashMap<>();
        Map<TimelineId, Optional<IndexPart>> indices = new HashMap<>();
        try (Stream<Path> dirs = Files.list(timelinesDir())) {
            for (Path d : dirs.toList()) {
                if (!TimelineMetadataFile.exists(d)) {
                    log.info("tenant {}: removing unfinished timeline directory {}", id, d.getFileName());
                    DurableFiles.deleteRecursively(d);
                    continue;
                }
                pending.put(TimelineId.parse(d.getFileName().toString()), TimelineMetadataFile.read(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list timelines of " + dir, e);
        }
        if (remote != null) {
            Set<TimelineId> all = new TreeSet<>(pending.keySet());
            all.addAll(remote.timelines(id));
            for (TimelineId tid : all) {
                Optional<IndexPart> index = remote.latestIndex(id, tid, location.generation());
                indices.put(tid, index);
                index.ifPresent(ip -> pending.put(tid, ip.metadata()));
            }
        }
        while (!pending.isEmpty()) {
            List<TimelineId> ready = new ArrayList<>();
            pending.forEach((tid, md) -> {
                if (md.ancestorTimelineId() == null || timelines.containsKey(md.ancestorTimelineId())) {
                    ready.add(tid);
                }
            });
            if (ready.isEmpty()) {
                throw new IllegalStateException("timelines " + pending.keySet() + " miss their ancestors");
            }
            for (TimelineId tid : ready) {
                TimelineMetadata md = pending.remove(tid);
                Timeline ancestor = md.ancestorTimelineId() == null ? null : timelines.get(md.ancestorTimelineId());
                Timeline t = remote == null
                        ? TimelineLoader.load(timelineDir(tid), id, tid, location.generation(), ancestor,
                                location.engineConf(), clock)
                        : RemoteTimelineLoad.load(remote, indices.get(tid), timelineDir(tid), id, tid,
                                location.generation(), ancestor, location.engineConf(), clock);
                t.activate();
                timelines.put(tid, t);
            }
        }
    }

    public TenantShardId id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    public Clock clock() {
        return clock;
    }

    public Path timelinesDir() {
        return dir.resolve("timelines");
    }

    public Path timelineDir(TimelineId timeline) {
        return timelinesDir().resolve(timeline.toString());
    }

    /** Remote storage, or null when none is configured. */
    public RemoteClient remote() {
        return remote;
    }

    /** Connects a new (Loading) timeline to remote storage, when configured. */
    void enableUploads(Timeline timeline) {
        if (remote != null) {
            timeline.enableUploads(remote.newQueue(id, timeline.timelineId(), timeline.generation(), timeline.dir(),
                    Lsn.INVALID));
        }
    }

    /** Waits until a new timeline's first index is in remote storage (spec E.4); 503 after {@code timeout}. */
    void awaitFirstUpload(Timeline timeline, Duration timeout) throws InterruptedException {
        if (!timeline.awaitUploads(timeout)) {
            throw new ApiError.Unavailable("timeline " + timeline.timelineId() + " is not in remote storage after "
                    + timeout + "; its uploads continue, retry the creation to wait again");
        }
    }

    public LocationConf location() {
        return location;
    }

    /** A new location (generation, config) for an attached shard; persisted first. */
    public void updateLocation(LocationConf newLocation) {
        if (newLocation.generation().compareTo(location.generation()) < 0) {
            throw new ApiError.Conflict("generation " + newLocation.generation() + " is older than the attached "
                    + location.generation());
        }
        TenantConfigFile.write(dir, newLocation);
        location = newLocation;
        timelines.values().forEach(t -> t.setConf(newLocation.engineConf()));
    }

    public TenantState state() {
        return state;
    }

    public String brokenReason() {
        return brokenReason;
    }

    /** Serialises timeline creation and deletion. */
    public Object timelineLock() {
        return timelineLock;
    }

    public List<Timeline> timelines() {
        return List.copyOf(timelines.values());
    }

    /** The timeline, or 404. */
    public Timeline timeline(TimelineId timelineId) {
        Timeline t = timelines.get(timelineId);
        if (t == null) {
            throw new ApiError.NotFound("timeline " + id + "/" + timelineId + " not found");
        }
        return t;
    }

    public Timeline findTimeline(TimelineId timelineId) {
        return timelines.get(timelineId);
    }

    void addTimeline(Timeline timeline) {
        timelines.put(timeline.timelineId(), timeline);
    }

    /** Deletes a childless timeline locally; 412 if it has children. */
    public void deleteTimeline(TimelineId timelineId) {
        synchronized (timelineLock) {
            Timeline t = timeline(timelineId);
            List<TimelineId> children = timelines.values().stream()
                    .filter(c -> c.ancestor() == t).map(Timeline::timelineId).toList();
            if (!children.isEmpty()) {
                throw new ApiError.PreconditionFailed("timeline " + timelineId + " has child timelines " + children);
            }
            t.shutdown(false);
            timelines.remove(timelineId);
            DurableFiles.deleteRecursively(t.dir());
            if (remote != null) {
                remote.deleteTimeline(id, timelineId);
            }
        }
    }

    /**
     * Runs GC on one timeline with its tenant's gc_horizon or {@code horizonOverride}, keeping what
     * its children's branch points need.
     */
    public GcResult gc(TimelineId timelineId, Long horizonOverride) {
        Timeline t = timeline(timelineId);
        List<Lsn> retain = timelines.values().stream().filter(c -> c.ancestor() == t).map(Timeline::ancestorLsn).toList();
        long horizon = horizonOverride != null ? horizonOverride : t.conf().gcHorizon();
        return t.gc(horizon, retain);
    }

    /** GC of every active timeline every gc_period (spec D.6), with the current tenant config. */
    private void startGcLoop() {
        gcLoop = GcLoop.start("gc-" + id, () -> location.engineConf().gcPeriod(), this::gcAll);
    }

    private void gcAll() {
        for (Timeline t : timelines.values()) {
            if (t.state() == TimelineState.ACTIVE) {
                GcResult r = gc(t.timelineId(), null);
                if (r.layersRemoved() > 0) {
                    log.info("tenant {} timeline {}: GC removed {} of {} layers, cutoff {}", id, t.timelineId(),
                            r.layersRemoved(), r.layersTotal(), t.gcCutoffLsn());
                }
            }
        }
    }

    /** Stops the GC loop and every timeline, children first; flushes them first when {@code flush}. */
    public void shutdown(boolean flush) {
        state = TenantState.STOPPING;
        GcLoop loop = gcLoop;
        if (loop != null) {
            loop.stop();
        }
        List<Timeline> all = new ArrayList<>(timelines.values());
        all.sort((a, b) -> Integer.compare(depth(b), depth(a)));
        for (Timeline t : all) {
            t.shutdown(flush);
        }
    }

    private static int depth(Timeline t) {
        int d = 0;
        for (Timeline a = t.ancestor(); a != null; a = a.ancestor()) {
            d++;
        }
        return d;
    }

    /** Current physical size: the bytes of all layer files of all timelines. */
    public long physicalSize() {
        return timelines.values().stream().mapToLong(TimelineSizes::physicalSize).sum();
    }
}
