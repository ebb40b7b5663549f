package dev.jneon.safekeeper.backup;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.remote.ByteRange;
import dev.jneon.common.remote.ListRequest;
import dev.jneon.common.remote.ObjectSource;
import dev.jneon.common.remote.RemoteObject;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.common.wal.WalFormat;
import dev.jneon.safekeeper.acceptor.Term;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A timeline's WAL in remote storage (spec F): object keys {@code <tenant_id>/<timeline_id>/<name>},
 * where a full segment is named like its pg_wal file ({@code 000000010000000000000002}) and holds the
 * whole segment, and a partial segment upload of safekeeper {@code id} is named
 * {@code <segment>_<term>_<flush %016X>_<commit %016X>_sk<id>.partial} and holds the segment's bytes
 * from its start up to the flush LSN. Objects are written whole (remote storage puts are atomic),
 * so a reader never sees half a segment. Thread-safe if the storage is.
 */
public final class RemoteWal implements AutoCloseable {

    private static final String PARTIAL_SUFFIX = ".partial";

    private final RemoteStorage storage;

    public RemoteWal(RemoteStorage storage) {
        this.storage = storage;
    }

    public RemoteStorage storage() {
        return storage;
    }

    public static RemotePath timelinePrefix(TenantTimelineId ttid) {
        return RemotePath.of(ttid.tenantId().toString(), ttid.timelineId().toString());
    }

    public static RemotePath segment(TenantTimelineId ttid, long segno, int segmentSize) {
        return timelinePrefix(ttid).join(WalFormat.segmentFileName(segno, segmentSize));
    }

    public static RemotePath partial(TenantTimelineId ttid, long segno, int segmentSize, Term term, Lsn flush,
            Lsn commit, NodeId node) {
        return timelinePrefix(ttid).join(WalFormat.segmentFileName(segno, segmentSize) + "_" + term.value() + "_"
                + flush.toHex16() + "_" + commit.toHex16() + "_sk" + node.value() + PARTIAL_SUFFIX);
    }

    /** Uploads the whole local file of segment {@code segno}. */
    public void uploadSegment(TenantTimelineId ttid, long segno, int segmentSize, Path file)
            throws RemoteStorageException {
        storage.put(segment(ttid, segno, segmentSize), ObjectSource.of(file), segmentSize);
    }

    /** The partial-segment objects of {@code node} for {@code ttid}, in key order. */
    public List<RemotePath> partials(TenantTimelineId ttid, NodeId node) throws RemoteStorageException {
        String suffix = "_sk" + node.value() + PARTIAL_SUFFIX;
        return storage.list(ListRequest.under(timelinePrefix(ttid))).objects().stream().map(RemoteObject::path)
                .filter(p -> p.name().endsWith(suffix)).toList();
    }

    /**
     * Reads offloaded WAL from {@code from} into {@code dst[off, off+len)}, never across a segment
     * end (a ranged GET of the full segment object); returns the bytes read, or 0 when the segment
     * was not offloaded.
     */
    public int read(TenantTimelineId ttid, int segmentSize, Lsn from, byte[] dst, int off, int len) throws IOException {
        int segOff = from.segmentOffset(segmentSize);
        int n = Math.min(len, segmentSize - segOff);
        RemotePath path = segment(ttid, from.segmentNumber(segmentSize), segmentSize);
        try (InputStream in = storage.get(path, ByteRange.of(segOff, segOff + (long) n))) {
            return in.readNBytes(dst, off, n);
        } catch (RemoteStorageException.NotFound e) {
            return 0;
        } catch (RemoteStorageException e) {
            throw new IOException("reading offloaded WAL " + path + ": " + e.getMessage(), e);
        }
    }

    /** Closes the storage's clients. */
    @Override
    public void close() {
        storage.close();
    }

    /** Deletes every object of the timeline (timeline deletion). */
    public void deleteTimeline(TenantTimelineId ttid) throws RemoteStorageException {
        storage.deletePrefix(timelinePrefix(ttid));
    }
}
