package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * WAL in memory for the simulation (test only): the end of every write is a record end, and a
 * simulated crash keeps the flushed bytes plus a random number of the unflushed writes (a torn
 * tail beyond them is "invalid" and found by no scan). Not thread-safe.
 */
final class InMemoryWalStore implements WalStore {

    final long base;
    private byte[] bytes = new byte[0];
    private int written;
    private int durable;
    private final List<Integer> writeEnds = new ArrayList<>();
    private boolean pending = true;

    InMemoryWalStore(Lsn start) {
        this.base = start.value();
    }

    @Override
    public Lsn writeLsn() {
        return Lsn.of(base + written);
    }

    @Override
    public Lsn flushLsn() {
        return Lsn.of(base + durable);
    }

    @Override
    public boolean pendingTruncation() {
        return pending;
    }

    @Override
    public void write(Lsn begin, byte[] data) {
        if (pending || begin.value() != base + written) {
            throw new IllegalStateException("write at " + begin + ", WAL ends at " + writeLsn());
        }
        if (written + data.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, written + data.length));
        }
        System.arraycopy(data, 0, bytes, written, data.length);
        written += data.length;
        writeEnds.add(written);
    }

    @Override
    public void flush() {
        durable = written;
    }

    @Override
    public void truncate(Lsn end, long systemId) {
        int keep = (int) (end.value() - base);
        if (keep > written || keep < 0) {
            throw new IllegalStateException("truncate at " + end + " outside [" + Lsn.of(base) + ", " + writeLsn() + "]");
        }
        written = keep;
        durable = keep;
        writeEnds.removeIf(e -> e > keep);
        pending = false;
    }

    @Override
    public int read(Lsn from, byte[] dst, int off, int len) {
        int at = (int) (from.value() - base);
        int n = Math.max(0, Math.min(len, written - at));
        System.arraycopy(bytes, at, dst, off, n);
        return n;
    }

    /** The bytes of {@code [from, to)}. */
    byte[] bytes(long from, long to) {
        return Arrays.copyOfRange(bytes, (int) (from - base), (int) (to - base));
    }

    /** Record ends (absolute) in {@code (from, to]}. */
    List<Long> recordEnds(long from, long to) {
        return writeEnds.stream().map(e -> base + e).filter(e -> e > from && e <= to).toList();
    }

    /** What a restart finds: flushed bytes plus some of the unflushed writes; writes blocked. */
    InMemoryWalStore afterCrash(Random random) {
        InMemoryWalStore next = new InMemoryWalStore(Lsn.of(base));
        int keep = durable;
        for (int end : writeEnds) {
            if (end > durable && random.nextBoolean()) {
                keep = end;
            } else if (end > durable) {
                break;
            }
        }
        next.bytes = Arrays.copyOf(bytes, Math.max(keep, 1));
        next.written = keep;
        next.durable = keep;
        int k = keep;
        writeEnds.stream().filter(e -> e <= k).forEach(next.writeEnds::add);
        return next;
    }
}
