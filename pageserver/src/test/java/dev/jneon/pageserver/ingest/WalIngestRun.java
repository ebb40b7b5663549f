package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineSizes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The child JVM of {@link GigabyteIngestIT}: loads a timeline, ingests a pg_wal directory from its
 * last record to the end of the files, checkpoints (everything into layer files) and prints one
 * {@code INGESTED} line with the figures. Arguments: pg_wal dir, segment size, timeline dir,
 * tenant shard id, timeline id.
 */
public final class WalIngestRun {

    private WalIngestRun() {}

    public static void main(String[] args) throws Exception {
        Path timelineDir = Path.of(args[2]);
        Timeline t = TimelineLoader.load(timelineDir, TenantShardId.parse(args[3]), TimelineId.parse(args[4]),
                Generation.of(1), null, TenantConf.DEFAULTS, Clock.systemUTC());
        t.activate();
        Lsn start = t.lastRecordLsn();
        long began = System.nanoTime();
        var ingested = new PgWalSource(Path.of(args[0]), Integer.parseInt(args[1])).ingest(start, Lsn.MAX,
                new WalIngest(t, true));
        t.checkpoint();
        double seconds = (System.nanoTime() - began) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        long wal = ingested.end().minus(start);
        System.out.printf("INGESTED records=%d walBytes=%d end=%s diskConsistent=%s layers=%d layerBytes=%d "
                        + "seconds=%.1f MBps=%.1f peakHeapMB=%d maxHeapMB=%d%n", ingested.records(), wal, ingested.end(),
                t.diskConsistentLsn(), t.layers().historic().size(), TimelineSizes.physicalSize(t), seconds,
                wal / seconds / 1e6, peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20);
        t.shutdown(false);
    }
}
