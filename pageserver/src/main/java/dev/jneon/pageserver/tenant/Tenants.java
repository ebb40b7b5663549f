package dev.jneon.pageserver.tenant;

import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.service.ApiError;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RetryPolicy;
import dev.jneon.common.remote.RetryingRemoteStorage;
import dev.jneon.pageserver.config.PageserverProperties;
import dev.jneon.pageserver.config.RemoteStorageProperties;
import dev.jneon.pageserver.remote.RemoteClient;
import dev.jneon.pageserver.disk.DurableFiles;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The tenant shards attached to this pageserver, loaded from {@code <workdir>/tenants/} at start
 * and stopped (flushing every timeline) at shutdown. With remote storage configured, every
 * timeline uploads its layers and index, attaching a tenant not on local disk loads it from remote
 * storage, and deleting a tenant deletes its remote objects. Attach, detach and delete are
 * serialised on this object; lookups are lock-free.
 */
@Component
public final class Tenants {

    private static final Logger log = LoggerFactory.getLogger(Tenants.class);

    private final Path tenantsDir;
    private final Clock clock = Clock.systemUTC();
    private final Map<TenantShardId, TenantShard> tenants = new ConcurrentSkipListMap<>();
    private final TimelineCreation creation;
    private final RemoteClient remote;

    @Autowired
    public Tenants(PageserverProperties properties, RemoteStorageProperties remoteStorage) {
        this(properties, remoteStorage.remoteStorage().toConfig().map(config -> {
            log.info("remote storage: {}", config);
            return new RemoteClient(new RetryingRemoteStorage(RemoteStorage.open(config), RetryPolicy.DEFAULT,
                    failure -> log.warn("retrying a remote storage call: {}", failure.getMessage())));
        }).orElse(null));
    }

    public Tenants(PageserverProperties properties) {
        this(properties, (RemoteClient) null);
    }

    /** @param remote remote storage (closed at shutdown), or null for none */
    public Tenants(PageserverProperties properties, RemoteClient remote) {
        this.remote = remote;
        this.tenantsDir = properties.tenantsDir();
        Path tempDir = properties.dataDir().resolve("tmp");
        DurableFiles.deleteRecursively(tempDir);
        try {
            Files.createDirectories(tenantsDir);
            Files.createDirectories(tempDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the pageserver workdir " + properties.dataDir(), e);
        }
        this.creation = new TimelineCreation(tempDir, properties.initdbDataChecksums(), properties.waitLsnTimeout());
        try (Stream<Path> dirs = Files.list(tenantsDir)) {
            for (Path dir : dirs.toList()) {
                TenantShardId id = TenantShardId.parse(dir.getFileName().toString());
                if (!TenantConfigFile.exists(dir)) {
                    log.info("removing tenant directory {} without a location config", dir);
                    DurableFiles.deleteRecursively(dir);
                    continue;
                }
                tenants.put(id, TenantShard.load(dir, id, clock, remote));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tenantsDir, e);
        }
        log.info("loaded {} tenant shards from {}", tenants.size(), tenantsDir);
    }

    /** Remote storage, or null when none is configured. */
    public RemoteClient remote() {
        return remote;
    }

    public TimelineCreation creation() {
        return creation;
    }

    public List<TenantShard> all() {
        return List.copyOf(tenants.values());
    }

    /** The attached tenant shard, or 404. */
    public TenantShard get(TenantShardId id) {
        TenantShard t = tenants.get(id);
        if (t == null) {
            throw new ApiError.NotFound("tenant " + id + " not found");
        }
        return t;
    }

    /** The tenant shard if it is Active; 404 if unknown, 503 if not active. */
    public TenantShard active(TenantShardId id) {
        TenantShard t = get(id);
        if (t.state() != TenantState.ACTIVE) {
            throw new ApiError.Unavailable("tenant " + id + " is " + t.state().slug());
        }
        return t;
    }

    /**
     * Attaches (creating it when new, from remote storage when configured) or updates the location
     * of an attached shard; with remote storage a newer generation reloads the shard so that its
     * uploads carry the new generation.
     */
    public synchronized TenantShard attach(TenantShardId id, LocationConf location) {
        TenantShard existing = tenants.get(id);
        if (existing != null) {
            boolean newer = location.generation().compareTo(existing.location().generation()) > 0;
            existing.updateLocation(location);
            if (newer && remote != null) { // uploads must carry the new generation: reload from the new index
                existing.shutdown(true);
                TenantShard reloaded = TenantShard.load(existing.dir(), id, clock, remote);
                tenants.put(id, reloaded);
                return reloaded;
            }
            return existing;
        }
        TenantShard created = TenantShard.create(tenantsDir.resolve(id.toString()), id, location, clock, remote);
        tenants.put(id, created);
        return created;
    }

    /** Shuts the shard down and deletes it locally; false if it was not attached. */
    public synchronized boolean detach(TenantShardId id) {
        TenantShard t = tenants.remove(id);
        if (t != null) {
            t.shutdown(false);
        }
        DurableFiles.deleteRecursively(tenantsDir.resolve(id.toString()));
        return t != null;
    }

    /** Detaches the shard and deletes its remote objects; false if it was not attached. */
    public synchronized boolean delete(TenantShardId id) {
        boolean attached = detach(id);
        if (attached && remote != null) {
            remote.deleteTenant(id);
        }
        return attached;
    }

    @PreDestroy
    public synchronized void shutdown() {
        for (TenantShard t : tenants.values()) {
            t.shutdown(true);
        }
        if (remote != null) {
            remote.close();
        }
    }
}
