package dev.jneon.pageserver.timeline;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child-process body of {@link HeapBoundIT}: writes {@code args[1]} MiB of 8 KiB page images
 * through the {@link TimelineWriter} of a fresh timeline in {@code args[0]}, one record per page,
 * then checkpoints, reads back a sample and prints its figures. Run with a small {@code -Xmx}:
 * checkpoint_distance is 1 GiB, so all of it sits in one in-memory layer until the checkpoint,
 * which only works if that layer keeps its values off the heap.
 */
public final class HeapBoundWriter {

    private HeapBoundWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long megabytes = Long.parseLong(args[1]);
        long pages = megabytes * 1024 * 1024 / 8192;
        RelTag rel = new RelTag(1663, 5, 16384, ForkNumber.MAIN);
        int blocks = 20_000; // 160 MB of distinct blocks, so each is rewritten about twice
        Timeline t = TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(1L << 30));
        t.writer().put(Key.relSize(rel), TimelineFixture.INITDB, Value.image(new byte[] {0x20, 0x4E, 0, 0}));
        t.writer().finishWrite(TimelineFixture.INITDB);
        t.activate();
        byte[] page = new byte[8192];
        long started = System.nanoTime();
        Lsn lsn = Lsn.of(0x1000);
        for (long i = 0; i < pages; i++) {
            Arrays.fill(page, (byte) i);
            page[0] = (byte) (i >>> 8);
            page[1] = (byte) (i >>> 16);
            t.writer().put(Key.relBlock(rel, (int) (i % blocks)), lsn, Value.image(page));
            t.writer().finishWrite(lsn);
            lsn = lsn.plus(8232);
        }
        t.checkpoint();
        double seconds = (System.nanoTime() - started) / 1e9;
        Lsn last = lsn.plus(-8232);
        long i = pages - 1;
        Arrays.fill(page, (byte) i);
        page[0] = (byte) (i >>> 8);
        page[1] = (byte) (i >>> 16);
        if (!Arrays.equals(t.get(Key.relBlock(rel, (int) (i % blocks)), last), page)) {
            throw new AssertionError("last page read back wrong");
        }
        var random = new java.util.Random(42);
        int reads = 20_000;
        long readStart = System.nanoTime();
        for (int r = 0; r < reads; r++) {
            if (t.get(Key.relBlock(rel, random.nextInt(blocks)), last).length != 8192) {
                throw new AssertionError("short page");
            }
        }
        double readSeconds = (System.nanoTime() - readStart) / 1e9;
        System.out.printf("read %d random pages at the newest LSN from the layer files in %.1f s = %.0f pages/s%n", reads,
                readSeconds, reads / readSeconds);
        long heapUsed = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("wrote %d MiB (%d pages) in %.1f s = %.1f MiB/s; %d layer files; max heap %d MiB, used %d MiB;"
                        + " disk_consistent_lsn %s%n", megabytes, pages, seconds, megabytes / seconds, t.layers().historic().size(),
                Runtime.getRuntime().maxMemory() >> 20, heapUsed >> 20, t.diskConsistentLsn());
        System.out.println("DONE " + t.diskConsistentLsn());
        t.shutdown(false);
    }
}
