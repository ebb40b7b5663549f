package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import java.io.IOException;

/**
 * One timeline's local WAL as the {@link Acceptor} sees it: bytes appended in order, made durable by
 * {@link #flush()}, cut by {@link #truncate}. {@link #flushLsn()} is always the end of a complete
 * record that is on disk; {@link #writeLsn()} is the end of the bytes written, possibly mid-record.
 * A failed write or fsync of data already accepted stops the process (never retried and acked);
 * an {@link IOException} means nothing was changed (e.g. no space to preallocate a segment).
 *
 * <p>Not thread-safe for writers: one writer (the timeline's acceptor, under its lock).
 * {@link #read} may be called concurrently from other threads for LSNs below {@link #flushLsn()}.
 */
public interface WalStore {

    Lsn writeLsn();

    Lsn flushLsn();

    /** True after start-up and while a truncation is under way: writes are refused until {@link #truncate}. */
    boolean pendingTruncation();

    /** Appends {@code data} at {@code begin}, which must equal {@link #writeLsn()}; no fsync. */
    void write(Lsn begin, byte[] data) throws IOException;

    /** Makes everything written durable and moves {@link #flushLsn()} to the last complete record end. */
    void flush();

    /**
     * Cuts the WAL at {@code end} (a record boundary at or below the written records) and clears the
     * pending flag; afterwards write = flush = {@code end}. A store with no WAL at all starts its first
     * segment there, with the page headers of the bytes before {@code end} synthesized
     * ({@code systemId} goes into the long header).
     */
    void truncate(Lsn end, long systemId) throws IOException;

    /**
     * Reads WAL from {@code from} into {@code dst[off, off+len)}, never across a segment end; returns
     * the number of bytes read (0 if the segment is not held locally).
     */
    int read(Lsn from, byte[] dst, int off, int len) throws IOException;
}
