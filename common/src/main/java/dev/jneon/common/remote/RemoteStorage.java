package dev.jneon.common.remote;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Object storage as the pageserver and safekeepers use it: flat keys ({@link RemotePath}) mapped to
 * immutable byte objects, written whole and read whole or by range. Implementations: a local
 * directory ({@link LocalFsRemoteStorage}), S3 and S3-compatible servers ({@link S3RemoteStorage}),
 * Azure Blob Storage ({@link AzureRemoteStorage}), and the decorators {@link RetryingRemoteStorage}
 * and {@link FaultInjectingRemoteStorage}. {@link #open} builds a backend from its config.
 *
 * <p>Guarantees every backend gives: a {@link #put} is atomic (readers see the previous state or
 * the whole new object, never a part, also when the writer dies mid-upload); deleting a missing key
 * succeeds; listings are in key order. Calls block the calling thread (meant for virtual threads)
 * and are cancelled by interrupting it ({@link RemoteStorageException.Cancelled}). Each request is
 * bounded by the backend's {@link RemoteTimeouts}. Implementations are thread-safe.
 */
public interface RemoteStorage extends AutoCloseable {

    /** Largest number of keys one {@link #deleteAll} request sends to S3 (the API's limit). */
    int S3_DELETE_BATCH = 1000;

    /** The objects (and, for delimited listings, folders) the request selects, in key order. */
    Listing list(ListRequest request) throws RemoteStorageException;

    /** Size, modification time and entity tag of one object. */
    RemoteObject head(RemotePath path) throws RemoteStorageException;

    /**
     * A stream over the object's bytes in {@code range}; the caller closes it. Reads fail with an
     * {@link java.io.IOException} if the connection breaks mid-stream; a retry starts a new get.
     */
    InputStream get(RemotePath path, ByteRange range) throws RemoteStorageException;

    /**
     * Stores {@code length} bytes read from a stream of {@code source}, replacing any object with the
     * key. Fails (and stores nothing) if the source yields fewer or more bytes than {@code length}.
     */
    void put(RemotePath path, ObjectSource source, long length) throws RemoteStorageException;

    /** Removes the object; a missing object is not an error. */
    void delete(RemotePath path) throws RemoteStorageException;

    /** Removes the objects, in batches where the backend has a batch API; missing ones are skipped. */
    void deleteAll(Collection<RemotePath> paths) throws RemoteStorageException;

    /** Copies an object inside the storage (server-side where the backend can). */
    void copy(RemotePath from, RemotePath to) throws RemoteStorageException;

    /**
     * Removes every object below {@code folder} (not an object named {@code folder} itself): lists a
     * batch, deletes it, and repeats until the listing is empty. Fails (retryably) if a batch is
     * still listed after its deletion succeeded, rather than looping.
     */
    default void deletePrefix(RemotePath folder) throws RemoteStorageException {
        List<RemotePath> previous = List.of();
        while (true) {
            List<RemotePath> batch = list(ListRequest.under(folder).limit(S3_DELETE_BATCH)).keys();
            if (batch.isEmpty()) {
                return;
            }
            if (batch.equals(previous)) {
                throw new RemoteStorageException.Other("delete prefix " + folder + ": " + batch.size()
                        + " deleted objects are still listed, first " + batch.getFirst(), true, null);
            }
            deleteAll(new ArrayList<>(batch));
            previous = batch;
        }
    }

    /** Releases clients and connections. */
    @Override
    void close();

    /** The backend {@code config} describes (without retries: wrap in {@link RetryingRemoteStorage}). */
    static RemoteStorage open(RemoteStorageConfig config) {
        return switch (config) {
            case RemoteStorageConfig.LocalFs local -> new LocalFsRemoteStorage(local);
            case RemoteStorageConfig.S3 s3 -> new S3RemoteStorage(s3);
            case RemoteStorageConfig.Azure azure -> new AzureRemoteStorage(azure);
        };
    }
}
