package dev.jneon.common.remote;

import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Repeats failed calls of another {@link RemoteStorage} by a {@link RetryPolicy}: only
 * {@link RemoteStorageException#retryable() retryable} failures ({@link RemoteStorageException.Timeout},
 * retryable {@link RemoteStorageException.Other}), with jittered exponential backoff, up to the
 * policy's attempts; then the last failure is thrown. Interrupting the caller ends the wait with
 * {@link RemoteStorageException.Cancelled}. A put re-opens its {@link ObjectSource} for every attempt;
 * a get retries only until the stream is open (a stream breaking later is the reader's to retry).
 * {@link #deletePrefix} retries each list and delete step, not the whole walk. Thread-safe if the
 * wrapped storage is.
 */
public final class RetryingRemoteStorage implements RemoteStorage {

    private final RemoteStorage inner;
    private final RetryPolicy policy;
    private final Consumer<RemoteStorageException> onRetry;

    /** @param onRetry told of each failure that will be retried (for logging and metrics) */
    public RetryingRemoteStorage(RemoteStorage inner, RetryPolicy policy, Consumer<RemoteStorageException> onRetry) {
        this.inner = inner;
        this.policy = policy;
        this.onRetry = onRetry;
    }

    public RetryingRemoteStorage(RemoteStorage inner, RetryPolicy policy) {
        this(inner, policy, failure -> { });
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws RemoteStorageException;
    }

    private <T> T retry(Call<T> call) throws RemoteStorageException {
        for (int attempt = 1; ; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new RemoteStorageException.Cancelled("remote storage call: interrupted before attempt " + attempt,
                        null);
            }
            try {
                return call.run();
            } catch (RemoteStorageException e) {
                if (!e.retryable() || attempt >= policy.maxAttempts()) {
                    throw e;
                }
                onRetry.accept(e);
                try {
                    Thread.sleep(policy.delay(attempt, ThreadLocalRandom.current()));
                } catch (InterruptedException interrupted) {
                    RemoteStorageException cancelled = new RemoteStorageException.Cancelled(
                            "remote storage call: interrupted while backing off after " + e.getMessage(), interrupted);
                    cancelled.addSuppressed(e);
                    throw cancelled;
                }
            }
        }
    }

    @Override
    public Listing list(ListRequest request) throws RemoteStorageException {
        return retry(() -> inner.list(request));
    }

    @Override
    public RemoteObject head(RemotePath path) throws RemoteStorageException {
        return retry(() -> inner.head(path));
    }

    @Override
    public InputStream get(RemotePath path, ByteRange range) throws RemoteStorageException {
        return retry(() -> inner.get(path, range));
    }

    @Override
    public void put(RemotePath path, ObjectSource source, long length) throws RemoteStorageException {
        retry(() -> {
            inner.put(path, source, length);
            return null;
        });
    }

    @Override
    public void delete(RemotePath path) throws RemoteStorageException {
        retry(() -> {
            inner.delete(path);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<RemotePath> paths) throws RemoteStorageException {
        List<RemotePath> copy = List.copyOf(paths);
        retry(() -> {
            inner.deleteAll(copy);
            return null;
        });
    }

    @Override
    public void copy(RemotePath from, RemotePath to) throws RemoteStorageException {
        retry(() -> {
            inner.copy(from, to);
            return null;
        });
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "Retrying[" + inner + ", " + policy + "]";
    }
}
