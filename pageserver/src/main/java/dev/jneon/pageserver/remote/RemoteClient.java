package dev.jneon.pageserver.remote;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.remote.ByteRange;
import dev.jneon.common.remote.ListRequest;
import dev.jneon.common.remote.RemoteObject;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.pageserver.disk.DurableFiles;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.LayerResidence;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pageserver's side of remote storage, node-wide (spec E): makes each timeline's
 * {@link UploadQueue}, finds and reads indices (the highest generation at or below one's own,
 * E.3.2), lists a tenant's timelines, downloads layer files (temp name, size check, fsync, rename)
 * and deletes timelines (index last) and tenants. Synchronous calls here go through the retrying
 * storage given; the upload queue retries on top of it forever.
 *
 * <p>Thread-safe (the storage is; the counters are atomics).
 */
public final class RemoteClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RemoteClient.class);

    private final RemoteStorage storage;
    private final RemoteCounters counters = new RemoteCounters();

    public RemoteClient(RemoteStorage storage) {
        this.storage = storage;
    }

    public RemoteStorage storage() {
        return storage;
    }

    public RemoteCounters counters() {
        return counters;
    }

    /** A stopped upload queue for a timeline whose remote index (if any) is at {@code remoteConsistentLsn}. */
    public UploadQueue newQueue(TenantShardId tenant, TimelineId timeline, Generation generation, Path dir,
            Lsn remoteConsistentLsn) {
        return new UploadQueue(this, tenant, timeline, generation, dir, remoteConsistentLsn);
    }

    /** The timelines that have objects under {@code tenants/<tenant>/timelines/}. */
    public List<TimelineId> timelines(TenantShardId tenant) {
        List<TimelineId> out = new ArrayList<>();
        for (RemotePath folder : call(() -> storage.list(ListRequest.children(Optional.of(RemoteLayout.timelines(tenant))))
                .folders())) {
            out.add(TimelineId.parse(folder.name()));
        }
        return out;
    }

    /** The index with the highest generation at or below {@code upTo}, or empty when the timeline has none. */
    public Optional<IndexPart> latestIndex(TenantShardId tenant, TimelineId timeline, Generation upTo) {
        RemotePath prefix = RemoteLayout.timeline(tenant, timeline).join(RemoteLayout.INDEX_NAME);
        RemotePath best = null;
        Generation bestGen = null;
        for (RemoteObject o : call(() -> storage.list(ListRequest.keysStartingWith(prefix))).objects()) {
            Generation g = RemoteLayout.indexGeneration(o.path().name());
            if (g != null && g.compareTo(upTo) <= 0 && (bestGen == null || g.compareTo(bestGen) > 0)) {
                best = o.path();
                bestGen = g;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        RemotePath chosen = best;
        byte[] bytes = call(() -> {
            try (InputStream in = storage.get(chosen, ByteRange.ALL)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RemoteStorageException.Other("reading " + chosen + ": " + e.getMessage(), true, e);
            }
        });
        log.info("{}/{}: loaded {} (generation {} of at most {})", tenant, timeline, chosen.name(), bestGen, upTo);
        return Optional.of(IndexPart.parse(bytes));
    }

    /** Fetches layer objects of {@code tenant/timeline} into local files on demand. */
    public LayerResidence.Download downloader(TenantShardId tenant, TimelineId timeline, LayerName name,
            Generation generation) {
        return downloader(RemoteLayout.layer(tenant, timeline, name, generation));
    }

    LayerResidence.Download downloader(RemotePath path) {
        return (target, size) -> download(path, target, size);
    }

    private void download(RemotePath path, Path target, long expectedSize) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + LayerName.TEMP_SUFFIX);
        call(() -> {
            try (InputStream in = storage.get(path, ByteRange.ALL);
                 OutputStream out = Files.newOutputStream(temp)) {
                long n = in.transferTo(out);
                if (n != expectedSize) {
                    throw new RemoteStorageException.Other("downloaded " + n + " bytes of " + path + ", the index says "
                            + expectedSize, true, null);
                }
            } catch (IOException e) {
                throw new RemoteStorageException.Other("downloading " + path + ": " + e.getMessage(), true, e);
            }
            return null;
        });
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.fsyncDirectory(target.getParent());
        counters.downloads.incrementAndGet();
        counters.downloadedBytes.addAndGet(expectedSize);
        log.info("downloaded layer {} ({} bytes)", path, expectedSize);
    }

    /** Deletes every object of a timeline, its indices last (spec E.6). */
    public void deleteTimeline(TenantShardId tenant, TimelineId timeline) {
        List<RemotePath> all = call(() -> storage.list(ListRequest.under(RemoteLayout.timeline(tenant, timeline)))).keys();
        List<RemotePath> indices = all.stream().filter(p -> RemoteLayout.indexGeneration(p.name()) != null).toList();
        List<RemotePath> rest = all.stream().filter(p -> !indices.contains(p)).toList();
        call(() -> {
            storage.deleteAll(rest);
            storage.deleteAll(indices);
            return null;
        });
        counters.deletions.addAndGet(all.size());
    }

    /** Deletes everything under {@code tenants/<tenant>}. */
    public void deleteTenant(TenantShardId tenant) {
        call(() -> {
            storage.deletePrefix(RemoteLayout.tenant(tenant));
            return null;
        });
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws RemoteStorageException;
    }

    /** Runs a call of the (retrying) storage; a failure that outlived the retries is unchecked. */
    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (RemoteStorageException e) {
            throw new UncheckedIOException(new IOException("remote storage: " + e.getMessage(), e));
        }
    }

    @Override
    public void close() {
        storage.close();
    }
}
