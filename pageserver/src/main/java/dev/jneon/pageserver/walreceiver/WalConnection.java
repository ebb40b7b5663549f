package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalDecoder;
import dev.jneon.common.wal.WalRecord;
import dev.jneon.pageserver.ingest.WalIngest;
import dev.jneon.pageserver.ingest.WalIngestException;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineSizes;
import dev.jneon.pageserver.timeline.TimelineState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WAL connection of a timeline to one safekeeper (spec pageserver.md I.2), on its own virtual
 * thread: streams from the timeline's last_record_lsn (aligned up to 8), checks that each chunk
 * continues the previous one, decodes with {@link WalDecoder} (16 MiB or the cluster's segment
 * size, from the stored pg_control) and hands every complete record to a fresh {@link WalIngest},
 * the timeline's only writer while the connection runs. After each chunk and on each keepalive that
 * asks for it, it sends feedback: last received, disk consistent, remote consistent (0/0
 * until the timeline's first index upload) LSN and the logical size (recomputed at most every
 * {@link #SIZE_INTERVAL}).
 *
 * <p>An ingest error is critical: the feedback reports corruption and the timeline is marked
 * Broken. Any other failure just ends the connection; the owner picks the next source. Stopping
 * is cooperative (checked between messages) so a record is never half-ingested by an interrupt.
 *
 * <p>Thread-safety: {@link #stop} may be called from any thread; everything else runs on the
 * connection's thread, which reports to {@link Events} (the owner synchronises).
 */
final class WalConnection {

    private static final Logger log = LoggerFactory.getLogger(WalConnection.class);
    private static final Duration POLL = Duration.ofMillis(100);
    static final Duration SIZE_INTERVAL = Duration.ofSeconds(10);

    /** What the connection reports to its owner, from the connection thread. */
    interface Events {
        void connected(WalConnection connection);

        void walReceived(WalConnection connection, Lsn streamingLsn, Lsn commitLsn, int bytes);

        void keepAlive(WalConnection connection, Lsn commitLsn);

        void walProcessed(WalConnection connection);

        /** Always called last, once; {@code cause} is null after a normal end. */
        void ended(WalConnection connection, Throwable cause);
    }

    private final Timeline timeline;
    private final NodeId safekeeper;
    private final String connstr;
    private final WalStream.Opener opener;
    private final Events events;
    private final Clock clock;
    private volatile boolean stopped;
    private Thread thread;
    private long logicalSize = -1;
    private Instant sizeAt = Instant.MIN;

    WalConnection(Timeline timeline, NodeId safekeeper, String connstr, WalStream.Opener opener, Events events,
            Clock clock) {
        this.timeline = timeline;
        this.safekeeper = safekeeper;
        this.connstr = connstr;
        this.opener = opener;
        this.events = events;
        this.clock = clock;
    }

    NodeId safekeeper() {
        return safekeeper;
    }

    String connstr() {
        return connstr;
    }

    void start() {
        thread = Thread.ofVirtual().name("walreceiver-" + timeline.timelineId() + "-sk" + safekeeper).start(this::run);
    }

    /** Asks the connection to end and waits until it did. */
    void stop() throws InterruptedException {
        stopped = true;
        if (thread != null && Thread.currentThread() != thread) {
            thread.join();
        }
    }

    private void run() {
        Throwable cause = null;
        Lsn start = timeline.lastRecordLsn().alignUp8();
        TenantTimelineId ttid = new TenantTimelineId(timeline.tenantShardId().tenantId(), timeline.timelineId());
        try (WalStream stream = opener.open(connstr, ttid, start)) {
            stream(stream, start);
        } catch (WalIngestException e) {
            cause = e;
            log.error("{}: WAL from safekeeper {} cannot be ingested; the timeline is now Broken", timeline, safekeeper, e);
            timeline.markBroken("WAL ingest failed: " + e.getMessage());
        } catch (InterruptedException e) {
            cause = e;
        } catch (RuntimeException e) {
            cause = e;
            if (timeline.state() == TimelineState.ACTIVE && !stopped) {
                log.warn("{}: WAL connection to safekeeper {} ({}) ended: {}", timeline, safekeeper, connstr, e.toString());
            }
        } finally {
            events.ended(this, cause);
        }
    }

    private void stream(WalStream stream, Lsn start) throws InterruptedException {
        PgControl control = PgControl.parse(timeline.get(Key.CONTROL_FILE, timeline.lastRecordLsn()));
        WalDecoder decoder = new WalDecoder(start, Lsn.INVALID, control.build().xlogSegSize());
        WalIngest ingest = new WalIngest(timeline, control.dataChecksumVersion() != 0);
        Lsn received = start;
        boolean connected = false;
        while (!stopped && timeline.state() == TimelineState.ACTIVE) {
            SafekeeperMessage message = stream.next(POLL);
            if (message == null) {
                continue;
            }
            if (!connected) {
                connected = true;
                events.connected(this);
            }
            switch (message) {
                case SafekeeperMessage.WalChunk chunk -> {
                    if (!chunk.start().equals(received)) {
                        throw new WalStreamException("safekeeper " + safekeeper + " sent WAL from " + chunk.start()
                                + ", expected " + received, null);
                    }
                    decoder.feed(chunk.data());
                    received = chunk.end();
                    events.walReceived(this, received, chunk.walEnd(), chunk.data().length);
                    if (ingestDecoded(decoder, ingest, stream, received) > 0) {
                        events.walProcessed(this);
                    }
                    stream.send(feedback(received, false));
                }
                case SafekeeperMessage.KeepAlive keepAlive -> {
                    events.keepAlive(this, keepAlive.walEnd());
                    if (keepAlive.replyRequested()) {
                        stream.send(feedback(received, false));
                    }
                }
                case SafekeeperMessage.StreamEnd end -> {
                    log.info("{}: safekeeper {} ended the WAL stream: {}", timeline, safekeeper, end.reason());
                    return;
                }
            }
        }
    }

    private int ingestDecoded(WalDecoder decoder, WalIngest ingest, WalStream stream, Lsn received) {
        int records = 0;
        try {
            WalRecord record;
            while ((record = decoder.next()) != null) {
                ingest.ingest(record);
                records++;
            }
        } catch (WalDecodeException e) {
            throw new WalStreamException("WAL from safekeeper " + safekeeper + " does not decode: " + e.getMessage(), e);
        } catch (WalIngestException e) {
            try {
                stream.send(feedback(received, true));
            } catch (RuntimeException ignored) {
                // the report is best effort; the timeline breaks either way
            }
            throw e;
        }
        return records;
    }

    private PageserverFeedback feedback(Lsn received, boolean corruption) {
        Instant now = clock.instant();
        if (logicalSize < 0 || !now.isBefore(sizeAt.plus(SIZE_INTERVAL))) {
            logicalSize = TimelineSizes.logicalSize(timeline, timeline.lastRecordLsn());
            sizeAt = now;
        }
        return new PageserverFeedback(logicalSize, received, timeline.diskConsistentLsn(), timeline.remoteConsistentLsn(),
                TimeUnit.MILLISECONDS.toMicros(now.toEpochMilli()), timeline.tenantShardId().number().value(), corruption);
    }
}
