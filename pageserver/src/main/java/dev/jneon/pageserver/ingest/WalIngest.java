package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.PageChecksum;
import dev.jneon.common.wal.BlockReference;
import dev.jneon.common.wal.ResourceManager;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import dev.jneon.common.wal.record.ClogBody;
import dev.jneon.common.wal.record.RecordBody;
import dev.jneon.common.wal.record.RelFileNode;
import dev.jneon.common.wal.record.RelMapBody;
import dev.jneon.common.wal.record.SmgrBody;
import dev.jneon.common.wal.record.XactBody;
import dev.jneon.common.wal.record.XlogBody;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineWriter;
import dev.jneon.pageserver.value.NeonWalRecord;
import dev.jneon.pageserver.value.Value;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns decoded WAL records into key/value writes on one timeline (spec pageserver.md I.3), each
 * value at the record's end LSN, then finishes the write there. Pages come only from full-page
 * images (DESIGN D4): every block reference's restored image is stored with pd_lsn = record end
 * and, on a cluster with data checksums, a recomputed checksum; a block of an imaged resource
 * manager without an image stops ingest with a {@link WalIngestException}. Non-page records are
 * interpreted: visibility-map bits heap records clear without a VM block reference
 * ({@link VisibilityMapClears}), SMGR CREATE/TRUNCATE, XLOG CHECKPOINT/NEXTOID, XACT commit/abort (CLOG updates as
 * {@link NeonWalRecord.ClogSetCommitted}/{@link NeonWalRecord.ClogSetAborted}, dropped relations),
 * CLOG ZEROPAGE, RELMAP UPDATE. Relation sizes, directories and the CheckPoint are cached here,
 * read from the timeline at first use. Not thread-safe: one instance per timeline, driven by the
 * single ingest thread that owns the timeline's writer.
 */
public final class WalIngest {

    private static final int PAGE = PageChecksum.PAGE_SIZE;
    private static final int CLOG_XACTS_PER_PAGE = PAGE * 4;
    /** Heap blocks one visibility-map page covers: (page - 24-byte header) x 4 (2 bits each). */
    private static final int HEAPBLOCKS_PER_VM_PAGE = (PAGE - 24) * 4;
    private static final Set<ResourceManager> IMAGED = EnumSet.of(ResourceManager.HEAP, ResourceManager.HEAP2,
            ResourceManager.BTREE, ResourceManager.HASH, ResourceManager.GIN, ResourceManager.GIST,
            ResourceManager.SEQUENCE, ResourceManager.SPGIST, ResourceManager.BRIN, ResourceManager.GENERIC);

    private final Timeline timeline;
    private final TimelineWriter writer;
    private final boolean dataChecksums;
    private final Map<RelTag, Integer> relSizes = new TreeMap<>();
    private final Map<DbTag, RelDirectory> relDirs = new TreeMap<>();
    private final Map<Key, Integer> slruSegSizes = new TreeMap<>();
    private final Map<SlruKind, SlruSegmentDirectory> slruDirs = new TreeMap<>();
    private DbDirectory dbDir;
    private CheckPoint checkPoint;
    private boolean checkPointChanged;
    private Lsn lsn;

    public WalIngest(Timeline timeline, boolean dataChecksums) {
        this.timeline = timeline;
        this.writer = timeline.writer();
        this.dataChecksums = dataChecksums;
        Lsn at = timeline.lastRecordLsn();
        this.dbDir = DbDirectory.decode(timeline.get(Key.DB_DIR, at));
        this.checkPoint = CheckPoint.decode(timeline.get(Key.CHECKPOINT, at), 0);
    }

    /** The tracked CheckPoint (next xid/oid as ingested so far). */
    public CheckPoint checkPoint() {
        return checkPoint;
    }

    /** Ingests one record and finishes the write at its end LSN. */
    public void ingest(WalRecord record) {
        lsn = record.endLsn();
        try {
            for (BlockReference block : record.blocks()) {
                ingestBlock(record, block);
            }
            clearVisibilityMap(record);
            RecordBody body = RecordBody.of(record);
            interpret(record, body);
            trackNextXid(record.xid());
        } catch (WalDecodeException e) {
            throw new WalIngestException(record.lsn(), e.getMessage(), e);
        }
        if (checkPointChanged) {
            writer.put(Key.CHECKPOINT, lsn, Value.image(checkPoint.encode()));
            checkPointChanged = false;
        }
        writer.finishWrite(lsn);
    }

    private void ingestBlock(WalRecord record, BlockReference block) throws WalDecodeException {
        if (!block.hasImage()) {
            if (IMAGED.contains(record.rmgr())) {
                throw new WalIngestException(record.lsn(), record.identify() + " modifies block " + block.id() + " ("
                        + block.rel() + " block " + Integer.toUnsignedString(block.blockNumber())
                        + ") without a full-page image; the primary must run with full-page images", null);
            }
            return;
        }
        byte[] page = block.image().restoreWithLsn(lsn);
        if (dataChecksums && !PageChecksum.isNew(page)) {
            PageChecksum.set(page, block.blockNumber());
        }
        putPage(block.rel(), block.blockNumber(), page);
    }

    /** One ClearVisibilityMapFlags per VM page for the heap blocks whose bits the record cleared. */
    private void clearVisibilityMap(WalRecord record) {
        Map<Key, List<Integer>> heapBlocks = new TreeMap<>();
        int flags = 0;
        for (VisibilityMapClears.Clear clear : VisibilityMapClears.of(record)) {
            RelTag vm = clear.heapBlock().rel().withFork(ForkNumber.VISIBILITY_MAP);
            int heapBlock = clear.heapBlock().blockNumber();
            int vmBlock = Integer.divideUnsigned(heapBlock, HEAPBLOCKS_PER_VM_PAGE);
            if (relDir(vm.db()).contains(vm.relNode(), vm.fork()) && Integer.compareUnsigned(vmBlock, relSize(vm)) < 0) {
                List<Integer> blocks = heapBlocks.computeIfAbsent(Key.relBlock(vm, vmBlock), k -> new ArrayList<>());
                if (!blocks.contains(heapBlock)) {
                    blocks.add(heapBlock);
                }
                flags |= clear.flags();
            }
        }
        for (var page : heapBlocks.entrySet()) {
            List<Integer> blocks = page.getValue();
            writer.put(page.getKey(), lsn, Value.record(new NeonWalRecord.ClearVisibilityMapFlags(blocks.getFirst(),
                    blocks.size() > 1 ? blocks.get(1) : null, flags)));
        }
    }

    private void interpret(WalRecord record, RecordBody body) {
        switch (body) {
            case XlogBody.Checkpoint c -> adoptCheckPoint(c.checkPoint());
            case XlogBody.NextOid n -> setCheckPoint(withNextOid(checkPoint, n.nextOid()));
            case SmgrBody.Create c -> createRel(c.rel());
            case SmgrBody.Truncate t -> truncate(t);
            case XactBody.Commit c -> completeXact(record, c.details(), true);
            case XactBody.Abort a -> completeXact(record, a.details(), false);
            case ClogBody.ZeroPage z -> zeroSlruPage(SlruKind.CLOG, z.pageNo());
            case RelMapBody.Update u -> updateRelMap(u);
            default -> { }
        }
    }

    // ---- relations ----

    private void putPage(RelTag rel, int block, byte[] page) {
        int size = relSize(rel);
        if (Integer.compareUnsigned(block, size) >= 0) {
            byte[] zero = new byte[PAGE];
            for (int b = size; b != block; b++) {
                writer.put(Key.relBlock(rel, b), lsn, Value.image(zero));
            }
            setRelSize(rel, block + 1);
        }
        writer.put(Key.relBlock(rel, block), lsn, Value.image(page));
    }

    /** The cached size; a relation not in its RelDir is created with size 0. */
    private int relSize(RelTag rel) {
        Integer size = relSizes.get(rel);
        if (size != null) {
            return size;
        }
        if (!relDir(rel.db()).contains(rel.relNode(), rel.fork())) {
            createRel(rel);
            return 0;
        }
        int stored = u32le(timeline.get(Key.relSize(rel), timeline.lastRecordLsn()));
        relSizes.put(rel, stored);
        return stored;
    }

    private void setRelSize(RelTag rel, int blocks) {
        relSizes.put(rel, blocks);
        writer.put(Key.relSize(rel), lsn, Value.image(u32le(blocks)));
    }

    private void createRel(RelTag rel) {
        DbTag db = rel.db();
        RelDirectory dir = relDir(db);
        if (dir.contains(rel.relNode(), rel.fork())) {
            return;
        }
        if (!dbDir.contains(db)) {
            dbDir = dbDir.with(db, false);
            writer.put(Key.DB_DIR, lsn, Value.image(dbDir.encode()));
        }
        putRelDir(db, dir.with(rel.relNode(), rel.fork()));
        setRelSize(rel, 0);
    }

    private RelDirectory relDir(DbTag db) {
        RelDirectory dir = relDirs.get(db);
        if (dir == null) {
            dir = dbDir.contains(db) ? RelDirectory.decode(timeline.get(Key.relDir(db), timeline.lastRecordLsn()))
                    : RelDirectory.EMPTY;
            relDirs.put(db, dir);
        }
        return dir;
    }

    private void putRelDir(DbTag db, RelDirectory dir) {
        relDirs.put(db, dir);
        writer.put(Key.relDir(db), lsn, Value.image(dir.encode()));
    }

    private void dropRel(RelTag rel) {
        RelDirectory dir = relDir(rel.db());
        if (!dir.contains(rel.relNode(), rel.fork())) {
            return;
        }
        putRelDir(rel.db(), dir.without(rel.relNode(), rel.fork()));
        relSizes.remove(rel);
        writer.delete(KeyRange.relation(rel), lsn);
    }

    /**
     * Shrinks the main fork and, per the flags, the visibility map to the pages still covering the
     * remaining heap blocks. The partial last VM page is not rewritten here: with data checksums
     * PostgreSQL logs it as a full-page image right before the truncate record.
     */
    private void truncate(SmgrBody.Truncate t) {
        RelFileNode node = t.rel();
        if ((t.flags() & SmgrBody.TRUNCATE_HEAP) != 0) {
            shrink(node.fork(ForkNumber.MAIN), t.blockCount());
        }
        if ((t.flags() & SmgrBody.TRUNCATE_VM) != 0) {
            long heapBlocks = Integer.toUnsignedLong(t.blockCount());
            long vmPages = (heapBlocks + HEAPBLOCKS_PER_VM_PAGE - 1) / HEAPBLOCKS_PER_VM_PAGE;
            shrink(node.fork(ForkNumber.VISIBILITY_MAP), (int) vmPages);
        }
    }

    private void shrink(RelTag rel, int blocks) {
        if (relDir(rel.db()).contains(rel.relNode(), rel.fork())
                && Integer.compareUnsigned(relSize(rel), blocks) > 0) {
            setRelSize(rel, blocks);
        }
    }

    // ---- transactions ----

    private void completeXact(WalRecord record, XactBody.XactDetails details, boolean commit) {
        List<Integer> xids = new ArrayList<>();
        xids.add(details.xid(record));
        xids.addAll(details.subxacts());
        Map<Integer, List<Integer>> byPage = new TreeMap<>();
        for (int xid : xids) {
            byPage.computeIfAbsent(Integer.divideUnsigned(xid, CLOG_XACTS_PER_PAGE), p -> new ArrayList<>()).add(xid);
            trackNextXid(xid);
        }
        for (var page : byPage.entrySet()) {
            NeonWalRecord update = commit ? new NeonWalRecord.ClogSetCommitted(page.getValue(), details.xactTime())
                    : new NeonWalRecord.ClogSetAborted(page.getValue());
            int pageNo = page.getKey();
            writer.put(Key.slruBlock(SlruKind.CLOG, pageNo / SlruKind.PAGES_PER_SEGMENT,
                    pageNo % SlruKind.PAGES_PER_SEGMENT), lsn, Value.record(update));
        }
        for (RelFileNode node : details.rels()) {
            for (ForkNumber fork : ForkNumber.values()) {
                dropRel(node.fork(fork));
            }
        }
    }

    private void trackNextXid(int xid) {
        if (xid == 0) {
            return;
        }
        long epoch = checkPoint.nextFullXid() >>> 32;
        int next = checkPoint.nextXid();
        if (xid - next >= 0) { // modulo-2^32 comparison, as PostgreSQL's TransactionIdFollowsOrEquals
            long bumpedEpoch = Integer.compareUnsigned(xid + 1, next) < 0 ? epoch + 1 : epoch;
            setCheckPoint(withNextFullXid(checkPoint, (bumpedEpoch << 32) | Integer.toUnsignedLong(xid + 1)));
        }
    }

    // ---- SLRU, relmap, checkpoint ----

    private void zeroSlruPage(SlruKind kind, int pageNo) {
        int segment = pageNo / SlruKind.PAGES_PER_SEGMENT;
        int block = pageNo % SlruKind.PAGES_PER_SEGMENT;
        writer.put(Key.slruBlock(kind, segment, block), lsn, Value.image(new byte[PAGE]));
        SlruSegmentDirectory dir = slruDirs.computeIfAbsent(kind,
                k -> SlruSegmentDirectory.decode(timeline.get(Key.slruDir(k), timeline.lastRecordLsn())));
        Key sizeKey = Key.slruSegSize(kind, segment);
        int size;
        if (!dir.contains(segment)) {
            slruDirs.put(kind, dir.with(segment));
            writer.put(Key.slruDir(kind), lsn, Value.image(dir.with(segment).encode()));
            size = 0;
        } else {
            size = slruSegSizes.computeIfAbsent(sizeKey, k -> u32le(timeline.get(k, timeline.lastRecordLsn())));
        }
        if (block >= size) {
            slruSegSizes.put(sizeKey, block + 1);
            writer.put(sizeKey, lsn, Value.image(u32le(block + 1)));
        }
    }

    private void updateRelMap(RelMapBody.Update u) {
        DbTag db = new DbTag(u.tsId(), u.dbId());
        byte[] map = new byte[u.map().remaining()];
        u.map().get(map);
        writer.put(Key.relMap(db), lsn, Value.image(map));
        if (!dbDir.contains(db) || !dbDir.databases().get(db)) {
            if (!dbDir.contains(db)) {
                putRelDir(db, RelDirectory.EMPTY);
            }
            dbDir = dbDir.with(db, true);
            writer.put(Key.DB_DIR, lsn, Value.image(dbDir.encode()));
        }
    }

    /** A checkpoint record's values, keeping the larger next xid of the two. */
    private void adoptCheckPoint(CheckPoint logged) {
        CheckPoint merged = Long.compareUnsigned(logged.nextFullXid(), checkPoint.nextFullXid()) >= 0 ? logged
                : withNextFullXid(logged, checkPoint.nextFullXid());
        setCheckPoint(merged);
    }

    private void setCheckPoint(CheckPoint next) {
        if (!next.equals(checkPoint)) {
            checkPoint = next;
            checkPointChanged = true;
        }
    }

    private static CheckPoint withNextOid(CheckPoint c, int nextOid) {
        return new CheckPoint(c.redo(), c.thisTimeLineId(), c.prevTimeLineId(), c.fullPageWrites(), c.nextFullXid(),
                nextOid, c.nextMulti(), c.nextMultiOffset(), c.oldestXid(), c.oldestXidDb(), c.oldestMulti(),
                c.oldestMultiDb(), c.time(), c.oldestCommitTsXid(), c.newestCommitTsXid(), c.oldestActiveXid());
    }

    private static CheckPoint withNextFullXid(CheckPoint c, long nextFullXid) {
        return new CheckPoint(c.redo(), c.thisTimeLineId(), c.prevTimeLineId(), c.fullPageWrites(), nextFullXid,
                c.nextOid(), c.nextMulti(), c.nextMultiOffset(), c.oldestXid(), c.oldestXidDb(), c.oldestMulti(),
                c.oldestMultiDb(), c.time(), c.oldestCommitTsXid(), c.newestCommitTsXid(), c.oldestActiveXid());
    }

    private static byte[] u32le(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    private static int u32le(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }
}
