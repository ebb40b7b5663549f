package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reader of jneon's layer file format, shared by delta and image layers. All integers big-endian.
 *
 * <pre>
 * [0, 4096)  summary
 *   @0   u32 magic 0x4A4C4159 ("JLAY")   @4 u16 format version ({@value #FORMAT_VERSION})
 *   @6   u8 kind (0 delta, 1 image)       @7 u8 zero
 *   @8   18-byte tenant_shard_id          @26 16-byte timeline_id
 *   @42  18-byte key start                @60 18-byte key end
 *   @78  u64 lsn start                    @86 u64 lsn end (image: lsn + 1)
 *   @94  u64 value count                  @102 u64 index offset
 *   @110 u64 tombstone count              @118 u64 tombstone offset
 *   @126 u32 CRC-32C of bytes [0, 126); the rest of the block is zero
 * [4096, index offset)  value blobs: each value's ValueCodec encoding, back to back
 * index: value count entries of 38 bytes, sorted by (key, lsn):
 *   18-byte key, u64 lsn, u64 (blob offset &lt;&lt; 1 | will_init), u32 blob length
 * tombstones (delta only): count entries of 44 bytes, sorted by lsn:
 *   18-byte key start, 18-byte key end, u64 lsn
 * </pre>
 *
 * A file is written under a {@code ___temp} name, fsynced, renamed to its {@link LayerName} and
 * the directory fsynced ({@link LayerFileWriter}); a crash leaves at most a temp file, which load
 * deletes. Named files are never changed.
 *
 * <p>Version history: v1 (golden {@code golden/layer/v1/}) is the first format.
 *
 * <p>Thread-safe: the summary and tombstones are immutable, the index is a read-only mapping
 * (off-heap), and values are read with positional reads.
 */
public final class LayerFile implements AutoCloseable {

    public static final int MAGIC = 0x4A4C4159;
    public static final int FORMAT_VERSION = 1;
    public static final int SUMMARY_SIZE = 4096;
    static final int SUMMARY_CRC_OFFSET = 126;
    public static final int INDEX_ENTRY_SIZE = Key.SIZE + 8 + 8 + 4;
    public static final int TOMBSTONE_SIZE = 2 * Key.SIZE + 8;

    /** What the summary block says. */
    public record Summary(boolean image, TenantShardId tenantShardId, TimelineId timelineId, KeyRange keys,
            LsnRange lsns, long valueCount, long indexOffset, long tombstoneCount, long tombstoneOffset) {}

    /** One index entry: a value of {@code key} written at {@code lsn}, stored at {@code offset}. */
    public record Entry(Key key, Lsn lsn, long offset, int length, boolean willInit) {}

    private final Path path;
    private final FileChannel channel;
    private final Summary summary;
    private final MappedByteBuffer index;
    private final List<Tombstone> tombstones;
    private volatile boolean closed;

    private LayerFile(Path path, FileChannel channel, Summary summary, MappedByteBuffer index, List<Tombstone> tombstones) {
        this.path = path;
        this.channel = channel;
        this.summary = summary;
        this.index = index;
        this.tombstones = tombstones;
    }

    public static LayerFile open(Path path) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer block = ByteBuffer.allocate(SUMMARY_SIZE);
            readFully(channel, block, 0);
            Summary summary = parseSummary(block.array(), path);
            long indexBytes = summary.valueCount() * INDEX_ENTRY_SIZE;
            if (summary.indexOffset() + indexBytes > summary.tombstoneOffset()
                    || summary.tombstoneOffset() + summary.tombstoneCount() * TOMBSTONE_SIZE != channel.size()) {
                throw new IllegalArgumentException("layer file " + path + " sections do not match its size " + channel.size());
            }
            MappedByteBuffer index = channel.map(FileChannel.MapMode.READ_ONLY, summary.indexOffset(), indexBytes);
            ByteBuffer tb = ByteBuffer.allocate((int) (summary.tombstoneCount() * TOMBSTONE_SIZE));
            readFully(channel, tb, summary.tombstoneOffset());
            List<Tombstone> tombstones = new ArrayList<>();
            byte[] t = tb.array();
            for (int i = 0; i < summary.tombstoneCount(); i++) {
                int at = i * TOMBSTONE_SIZE;
                tombstones.add(new Tombstone(new KeyRange(Key.fromBytes(t, at), Key.fromBytes(t, at + Key.SIZE)),
                        Lsn.of(ByteBuffer.wrap(t).getLong(at + 2 * Key.SIZE))));
            }
            return new LayerFile(path, channel, summary, index, List.copyOf(tombstones));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot open layer file " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    static Summary parseSummary(byte[] block, Path path) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException(String.format("%s is not a layer file (magic 0x%08X)", path, b.getInt(0)));
        }
        int version = b.getShort(4) & 0xFFFF;
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("layer file " + path + " has format version " + version
                    + ", this build reads " + FORMAT_VERSION);
        }
        var crc = new CRC32C();
        crc.update(block, 0, SUMMARY_CRC_OFFSET);
        if ((int) crc.getValue() != b.getInt(SUMMARY_CRC_OFFSET)) {
            throw new IllegalArgumentException("layer file " + path + " summary CRC mismatch");
        }
        boolean image = block[6] == 1;
        var tenant = TenantShardId.fromBytes(Arrays.copyOfRange(block, 8, 26));
        var timeline = TimelineId.fromBytes(Arrays.copyOfRange(block, 26, 42));
        var keys = new KeyRange(Key.fromBytes(block, 42), Key.fromBytes(block, 60));
        var lsns = new LsnRange(Lsn.of(b.getLong(78)), Lsn.of(b.getLong(86)));
        return new Summary(image, tenant, timeline, keys, lsns, b.getLong(94), b.getLong(102), b.getLong(110), b.getLong(118));
    }

    public Path path() {
        return path;
    }

    public Summary summary() {
        return summary;
    }

    public List<Tombstone> tombstones() {
        return tombstones;
    }

    public long valueCount() {
        return summary.valueCount();
    }

    /** Index entry number {@code i} (0-based, in key and LSN order). */
    public Entry entry(long i) {
        int at = Math.toIntExact(i * INDEX_ENTRY_SIZE);
        byte[] key = new byte[Key.SIZE];
        index.get(at, key);
        long packed = index.getLong(at + Key.SIZE + 8);
        return new Entry(Key.fromBytes(key, 0), Lsn.of(index.getLong(at + Key.SIZE)), packed >>> 1,
                index.getInt(at + Key.SIZE + 16), (packed & 1) != 0);
    }

    /**
     * Entries of {@code key} with LSN in {@code [floor, cont)}, newest first (binary search of the
     * mapped index).
     */
    public List<Entry> versions(Key key, Lsn floor, Lsn cont) {
        long lo = 0;
        long hi = summary.valueCount();
        while (lo < hi) { // first entry > (key, cont - 1), i.e. >= (key, cont)
            long mid = (lo + hi) >>> 1;
            if (compareAt(mid, key, cont) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        List<Entry> out = new ArrayList<>();
        for (long i = lo - 1; i >= 0; i--) {
            Entry e = entry(i);
            if (!e.key().equals(key) || e.lsn().compareTo(floor) < 0) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    private int compareAt(long i, Key key, Lsn lsn) {
        int at = Math.toIntExact(i * INDEX_ENTRY_SIZE);
        byte[] k = new byte[Key.SIZE];
        index.get(at, k);
        int c = Key.fromBytes(k, 0).compareTo(key);
        return c != 0 ? c : Long.compareUnsigned(index.getLong(at + Key.SIZE), lsn.value());
    }

    /**
     * The encoded value an entry points at. After {@link #close()} (the layer was replaced by
     * compaction) this throws {@link LayerRetiredException}, and the reader retries.
     */
    public byte[] read(Entry entry) {
        ByteBuffer buf = ByteBuffer.allocate(entry.length());
        try {
            readFully(channel, buf, entry.offset());
        } catch (java.nio.channels.ClosedChannelException e) {
            if (closed) {
                throw new LayerRetiredException("layer file " + path + " was closed during the read");
            }
            throw new UncheckedIOException("layer file " + path + " channel closed (interrupted reader?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer file " + path, e);
        }
        return buf.array();
    }

    static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at " + (position + buf.position()));
            }
        }
        buf.flip();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the original error is reported
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
    }
}
