package dev.jneon.pageserver.page;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the page service reads from a timeline at an already effective LSN (spec G.1, D.4): relation
 * fork sizes (u32 little-endian values of the size keys), 8192-byte pages (zero pages at or past the
 * fork's size; a missing FSM or VM fork has size 0), database sizes and whole SLRU segments.
 * Stateless apart from the timeline; thread-safe as the timeline's reads are.
 */
public final class PageReader {

    public static final int PAGE_SIZE = 8192;
    /** Most blocks one GetPages batch may ask for (Neon's vectored-read limit). */
    public static final int MAX_BATCH = 32;

    private final Timeline timeline;

    public PageReader(Timeline timeline) {
        this.timeline = timeline;
    }

    /** The fork's size in blocks at {@code lsn}, empty when the relation does not exist. */
    public OptionalInt relSize(RelTag rel, Lsn lsn) {
        Key sizeKey = Key.relSize(rel); // refuses relfilenode 0 and tablespace 0
        if (!relExists(rel, lsn)) {
            boolean optionalFork = rel.fork() == ForkNumber.FSM || rel.fork() == ForkNumber.VISIBILITY_MAP;
            return optionalFork ? OptionalInt.of(0) : OptionalInt.empty();
        }
        return OptionalInt.of(u32le(timeline.get(sizeKey, lsn)));
    }

    /** The pages {@code blocks} of {@code rel} at {@code lsn}, in the order asked. */
    public List<byte[]> pages(RelTag rel, int[] blocks, Lsn lsn) {
        if (blocks.length == 0 || blocks.length > MAX_BATCH) {
            throw new PageReadException.InvalidRequest("a batch reads 1.." + MAX_BATCH + " blocks, got " + blocks.length);
        }
        int size = relSize(rel, lsn).orElseThrow(() -> new PageReadException.NotFound("relation " + rel + " does not exist at " + lsn));
        List<Key> keys = new ArrayList<>();
        for (int block : blocks) {
            if (Integer.compareUnsigned(block, size) < 0) {
                keys.add(Key.relBlock(rel, block));
            }
        }
        Map<Key, byte[]> found = keys.isEmpty() ? Map.of() : timeline.getVectored(keys, lsn);
        List<byte[]> pages = new ArrayList<>(blocks.length);
        for (int block : blocks) {
            pages.add(Integer.compareUnsigned(block, size) < 0 ? found.get(Key.relBlock(rel, block)) : new byte[PAGE_SIZE]);
        }
        return pages;
    }

    /** Bytes of all relation forks of database (1663, {@code dbOid}) at {@code lsn}. */
    public long dbSize(int dbOid, Lsn lsn) {
        DbTag db = new DbTag(RelTag.DEFAULT_TABLESPACE, dbOid);
        RelDirectory rels;
        try {
            rels = RelDirectory.decode(timeline.get(Key.relDir(db), lsn));
        } catch (MissingKeyException e) {
            throw new PageReadException.NotFound("database " + Integer.toUnsignedString(dbOid) + " does not exist at " + lsn);
        }
        long blocks = 0;
        for (RelDirectory.Entry e : rels.rels()) {
            blocks += Integer.toUnsignedLong(u32le(timeline.get(Key.relSize(db.rel(e.relNode(), e.fork())), lsn)));
        }
        return blocks * PAGE_SIZE;
    }

    /** The whole segment {@code segno} of {@code kind}: its pages concatenated. */
    public byte[] slruSegment(SlruKind kind, int segno, Lsn lsn) {
        int pages;
        try {
            pages = u32le(timeline.get(Key.slruSegSize(kind, segno), lsn));
        } catch (MissingKeyException e) {
            throw new PageReadException.NotFound("SLRU " + kind.directory() + " segment " + Integer.toHexString(segno)
                    + " does not exist at " + lsn);
        }
        List<Key> keys = new ArrayList<>(pages);
        for (int block = 0; block < pages; block++) {
            keys.add(Key.slruBlock(kind, segno, block));
        }
        Map<Key, byte[]> found = timeline.getVectored(keys, lsn);
        var out = new ByteArrayOutputStream(pages * PAGE_SIZE);
        keys.forEach(k -> out.writeBytes(found.get(k)));
        return out.toByteArray();
    }

    private boolean relExists(RelTag rel, Lsn lsn) {
        try {
            return RelDirectory.decode(timeline.get(Key.relDir(rel.db()), lsn)).contains(rel.relNode(), rel.fork());
        } catch (MissingKeyException e) {
            return false;
        }
    }

    private static int u32le(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
