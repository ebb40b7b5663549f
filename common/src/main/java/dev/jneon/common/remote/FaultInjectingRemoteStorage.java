package dev.jneon.common.remote;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RemoteStorage} for tests that fails calls of another one on demand, the way a flaky or dead
 * server would: {@link #failNext} fails the next calls of one operation, {@link #startOutage} fails
 * every call until {@link #endOutage}, and also breaks uploads already in progress at their next read
 * of the source (a server dying mid-upload). Injected failures are retryable
 * {@link RemoteStorageException.Other}s. Thread-safe.
 */
public final class FaultInjectingRemoteStorage implements RemoteStorage {

    /** The operations failures can be injected into ({@code deleteAll} counts as {@link #DELETE}). */
    public enum Operation { LIST, HEAD, GET, PUT, DELETE, COPY }

    private final RemoteStorage inner;
    private final Map<Operation, AtomicInteger> pendingFailures = new EnumMap<>(Operation.class);
    private final AtomicInteger injected = new AtomicInteger();
    private volatile boolean outage;

    public FaultInjectingRemoteStorage(RemoteStorage inner) {
        this.inner = inner;
        for (Operation op : Operation.values()) {
            pendingFailures.put(op, new AtomicInteger());
        }
    }

    /** Fails the next {@code count} calls of {@code op}. */
    public void failNext(Operation op, int count) {
        pendingFailures.get(op).addAndGet(count);
    }

    /** Fails every call, and every in-progress upload at its next source read, until {@link #endOutage}. */
    public void startOutage() {
        outage = true;
    }

    public void endOutage() {
        outage = false;
    }

    /** How many failures were injected so far. */
    public int injectedFailures() {
        return injected.get();
    }

    private void maybeFail(Operation op, Object target) throws RemoteStorageException {
        AtomicInteger pending = pendingFailures.get(op);
        boolean planned = pending.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (outage || planned) {
            injected.incrementAndGet();
            throw new RemoteStorageException.Other(op + " " + target + ": injected failure"
                    + (outage ? " (outage)" : ""), true, null);
        }
    }

    @Override
    public Listing list(ListRequest request) throws RemoteStorageException {
        maybeFail(Operation.LIST, request.keyPrefix());
        return inner.list(request);
    }

    @Override
    public RemoteObject head(RemotePath path) throws RemoteStorageException {
        maybeFail(Operation.HEAD, path);
        return inner.head(path);
    }

    @Override
    public InputStream get(RemotePath path, ByteRange range) throws RemoteStorageException {
        maybeFail(Operation.GET, path);
        return inner.get(path, range);
    }

    @Override
    public void put(RemotePath path, ObjectSource source, long length) throws RemoteStorageException {
        maybeFail(Operation.PUT, path);
        inner.put(path, () -> new OutageSensitiveStream(source.open()), length);
    }

    @Override
    public void delete(RemotePath path) throws RemoteStorageException {
        maybeFail(Operation.DELETE, path);
        inner.delete(path);
    }

    @Override
    public void deleteAll(Collection<RemotePath> paths) throws RemoteStorageException {
        maybeFail(Operation.DELETE, paths.size() + " objects");
        inner.deleteAll(paths);
    }

    @Override
    public void copy(RemotePath from, RemotePath to) throws RemoteStorageException {
        maybeFail(Operation.COPY, from);
        inner.copy(from, to);
    }

    @Override
    public void close() {
        inner.close();
    }

    /** An upload source that breaks while an outage lasts. */
    private final class OutageSensitiveStream extends FilterInputStream {
        OutageSensitiveStream(InputStream in) {
            super(in);
        }

        private void check() throws IOException {
            if (outage) {
                injected.incrementAndGet();
                throw new IOException("injected outage during upload");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }
    }
}
