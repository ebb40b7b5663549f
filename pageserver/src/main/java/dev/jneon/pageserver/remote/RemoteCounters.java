package dev.jneon.pageserver.remote;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Node-wide remote storage counters, read by the {@code /metrics} binder: layer and index uploads,
 * layer downloads with their bytes, evictions, remote deletions and failed attempts (retried).
 * Thread-safe (atomics).
 */
public final class RemoteCounters {

    final AtomicLong layerUploads = new AtomicLong();
    final AtomicLong uploadedBytes = new AtomicLong();
    final AtomicLong indexUploads = new AtomicLong();
    final AtomicLong downloads = new AtomicLong();
    final AtomicLong downloadedBytes = new AtomicLong();
    final AtomicLong deletions = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong evictions = new AtomicLong();

    public long layerUploads() {
        return layerUploads.get();
    }

    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    public long indexUploads() {
        return indexUploads.get();
    }

    public long downloads() {
        return downloads.get();
    }

    public long downloadedBytes() {
        return downloadedBytes.get();
    }

    public long deletions() {
        return deletions.get();
    }

    public long failures() {
        return failures.get();
    }

    public long evictions() {
        return evictions.get();
    }

    /** Counts one eviction (by the disk budget or the layer API). */
    public void evicted() {
        evictions.incrementAndGet();
    }
}
