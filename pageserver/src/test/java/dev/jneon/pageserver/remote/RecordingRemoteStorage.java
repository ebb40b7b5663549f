package dev.jneon.pageserver.remote;

import dev.jneon.common.remote.ByteRange;
import dev.jneon.common.remote.Listing;
import dev.jneon.common.remote.ListRequest;
import dev.jneon.common.remote.ObjectSource;
import dev.jneon.common.remote.RemoteObject;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A real backend with a log of the writes that reach it, in order: puts (with the bytes of index
 * objects) and deletes, so tests can check what was in remote storage when. Thread-safe.
 */
public final class RecordingRemoteStorage implements RemoteStorage {

    /** One write: a put or a delete of {@code path}; {@code index} is the parsed index of an index put. */
    public record Write(boolean put, RemotePath path, IndexPart index) {}

    private final RemoteStorage inner;
    private final List<Write> writes = new ArrayList<>();

    public RecordingRemoteStorage(RemoteStorage inner) {
        this.inner = inner;
    }

    public synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    private synchronized void record(Write w) {
        writes.add(w);
    }

    @Override
    public Listing list(ListRequest request) throws RemoteStorageException {
        return inner.list(request);
    }

    @Override
    public RemoteObject head(RemotePath path) throws RemoteStorageException {
        return inner.head(path);
    }

    @Override
    public InputStream get(RemotePath path, ByteRange range) throws RemoteStorageException {
        return inner.get(path, range);
    }

    @Override
    public void put(RemotePath path, ObjectSource source, long length) throws RemoteStorageException {
        inner.put(path, source, length);
        IndexPart index = null;
        if (RemoteLayout.indexGeneration(path.name()) != null) {
            try (InputStream in = source.open()) {
                index = IndexPart.parse(in.readAllBytes());
            } catch (IOException e) {
                throw new RemoteStorageException.Other("re-reading " + path, false, e);
            }
        }
        record(new Write(true, path, index));
    }

    @Override
    public void delete(RemotePath path) throws RemoteStorageException {
        inner.delete(path);
        record(new Write(false, path, null));
    }

    @Override
    public void deleteAll(Collection<RemotePath> paths) throws RemoteStorageException {
        inner.deleteAll(paths);
        paths.forEach(p -> record(new Write(false, p, null)));
    }

    @Override
    public void copy(RemotePath from, RemotePath to) throws RemoteStorageException {
        inner.copy(from, to);
    }

    @Override
    public void close() {
        inner.close();
    }
}
