package dev.jneon.pageserver.basebackup;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.config.PageserverProperties;
import dev.jneon.pageserver.timeline.Timeline;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Serves basebackups for the gRPC and HTTP front ends: {@link #resolve} checks the request and waits
 * for its LSN ({@code jneon.pageserver.wait-lsn-timeout}); {@link #stream} writes the tar, compressed
 * as asked, and records the metrics. Thread-safe: every call works on its own objects.
 */
@Component
public final class Basebackups {

    private static final Logger log = LoggerFactory.getLogger(Basebackups.class);

    private final Duration waitLsnTimeout;
    private final BasebackupMetrics metrics;
    private final Clock clock;

    @Autowired
    public Basebackups(PageserverProperties properties, BasebackupMetrics metrics) {
        this(properties.waitLsnTimeout(), metrics, Clock.systemUTC());
    }

    /** {@code clock} stamps pg_control, the checkpoint record and tar entries (fixed in tests). */
    public Basebackups(Duration waitLsnTimeout, BasebackupMetrics metrics, Clock clock) {
        this.waitLsnTimeout = waitLsnTimeout;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Where a basebackup of {@code timeline} at {@code requested} ({@link Lsn#INVALID}: latest) is
     * taken; see {@link BasebackupLsn#resolve}. Only unsharded tenants: a full basebackup of a sharded
     * tenant would need the other shards' pages.
     */
    public BasebackupLsn resolve(Timeline timeline, Lsn requested, boolean replica) throws InterruptedException {
        if (!timeline.tenantShardId().isUnsharded()) {
            throw new ApiError.BadRequest("basebackups of sharded tenants are not supported (tenant shard "
                    + timeline.tenantShardId() + ")");
        }
        return BasebackupLsn.resolve(timeline, requested, replica, waitLsnTimeout);
    }

    /**
     * Writes the basebackup of {@code timeline} at {@code at} into {@code sink}, compressed, and
     * closes the sink; {@code started} is when the request arrived (for the duration metric).
     */
    public Basebackup.Summary stream(Timeline timeline, BasebackupLsn at, BasebackupCompression compression,
            OutputStream sink, long startedNanos) throws IOException {
        Counting counted = new Counting(sink);
        boolean ok = false;
        try {
            Basebackup.Summary summary;
            try (OutputStream out = compression.wrap(counted)) {
                summary = new Basebackup(timeline, at, clock.instant()).writeTo(out);
            }
            ok = true;
            log.info("basebackup of {}/{} at {} (checkpoint {}): {} relation pages, {} SLRU pages, {} bytes {}, {} ms",
                    timeline.tenantShardId(), timeline.timelineId(), at.lsn(), summary.checkpoint().checkpointLsn(),
                    summary.relationPages(), summary.slruPages(), counted.count, compression,
                    (System.nanoTime() - startedNanos) / 1_000_000);
            return summary;
        } finally {
            metrics.record(ok, counted.count, Duration.ofNanos(System.nanoTime() - startedNanos));
        }
    }

    /** Counts the bytes that reach the sink. Not thread-safe. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
