package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import java.time.Duration;

/**
 * One open WAL stream from a safekeeper (StreamWal), as the ingest loop sees it. Inbound messages
 * are pulled one at a time (the transport asks for the next only when one is taken, so memory is
 * bounded); feedback is sent by the same thread. Not thread-safe: owned by one connection thread.
 */
public interface WalStream extends AutoCloseable {

    /** Opens streams: {@code open(connstr, ttid, start)} sends the StreamStart for WAL from {@code start}. */
    @FunctionalInterface
    interface Opener {
        WalStream open(String connstr, TenantTimelineId ttid, Lsn start);
    }

    /**
     * The next message, or null when none arrived within {@code wait}.
     *
     * @throws WalStreamException when the stream failed or the safekeeper closed it without a StreamEnd
     */
    SafekeeperMessage next(Duration wait) throws InterruptedException;

    void send(PageserverFeedback feedback);

    /** Cancels the stream (if still open) and releases the connection. */
    @Override
    void close();
}
