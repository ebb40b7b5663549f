package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.MultiXactOffsets;
import dev.jneon.common.pg.file.PageChecksum;
import dev.jneon.common.wal.BlockReference;
import dev.jneon.common.wal.ResourceManager;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import dev.jneon.common.key.TwoPhaseDirectory;
import dev.jneon.common.wal.record.ClogBody;
import dev.jneon.common.wal.record.DbaseBody;
import dev.jneon.common.wal.record.MultiXactBody;
import dev.jneon.common.wal.record.RecordBody;
import dev.jneon.common.wal.record.RelFileNode;
import dev.jneon.common.wal.record.RelMapBody;
import dev.jneon.common.wal.record.SmgrBody;
import dev.jneon.common.wal.record.StandbyBody;
import dev.jneon.common.wal.record.XactBody;
import dev.jneon.common.wal.record.XlogBody;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineWriter;
import dev.jneon.pageserver.value.NeonWalRecord;
import dev.jneon.pageserver.value.Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * manager without an image stops ingest with a {@link WalIngestException}. The left child a GiST
 * split finished (GIST PAGE_UPDATE block 1, PAGE_SPLIT block 0) is changed by PostgreSQL after
 * its image was taken: its NSN (special space @0, like pd_lsn) becomes the record end and
 * F_FOLLOW_RIGHT (0x0008 of the u16 flags at special @12) is cleared here too (postgres-formats K.2).
 * Non-page records are interpreted (spec I.3): visibility-map bits heap records clear without a
 * VM block reference ({@link VisibilityMapClears}); SMGR CREATE and TRUNCATE (main size, VM cut
 * with {@link NeonWalRecord.TruncateVisibilityMap} on a partial last page, FSM fork dropped: it is a
 * hint PostgreSQL rebuilds); DBASE CREATE_FILE_COPY (the source database's relmap, relations and
 * pages copied as of the previous record), CREATE_WAL_LOG (empty directory), DROP; XACT
 * commit/abort[_PREPARED] (CLOG updates as {@link NeonWalRecord.ClogSetCommitted}/
 * {@link NeonWalRecord.ClogSetAborted}, dropped relations, prepared state removed), PREPARE
 * (TwoPhaseDir entry and the state blob under its xid), ASSIGNMENT; CLOG ZEROPAGE/TRUNCATE;
 * MULTIXACT ({@link MultiXacts}); RELMAP UPDATE; XLOG CHECKPOINT/NEXTOID; STANDBY RUNNING_XACTS.
 * The CheckPoint follows every record that moves one of its fields (nextXid from xl_xid, sub-xids
 * and multixact members; nextOid; nextMulti/Offset; oldestXid/DB; oldestMulti/DB;
 * oldestActiveXid) and is written at that record's LSN. Relation sizes, directories and the
 * CheckPoint are cached here, read from the timeline at first use. Not thread-safe: one instance
 * per timeline, driven by the single ingest thread that owns the timeline's writer.
 */
public final class WalIngest {

    private static final int PAGE = PageChecksum.PAGE_SIZE;
    private static final int CLOG_XACTS_PER_PAGE = PAGE * 4;
    /** Heap blocks one visibility-map page covers: (page - 24-byte header) x 4 (2 bits each). */
    private static final int HEAPBLOCKS_PER_VM_PAGE = (PAGE - 24) * 4;
    private static final int GIST_PAGE_UPDATE = 0x00;
    private static final int GIST_PAGE_SPLIT = 0x30;
    private static final int GIST_FOLLOW_RIGHT = 0x0008;
    private static final Set<ResourceManager> IMAGED = EnumSet.of(ResourceManager.HEAP, ResourceManager.HEAP2,
            ResourceManager.BTREE, ResourceManager.HASH, ResourceManager.GIN, ResourceManager.GIST,
            ResourceManager.SEQUENCE, ResourceManager.SPGIST, ResourceManager.BRIN, ResourceManager.GENERIC);

    private final Timeline timeline;
    private final TimelineWriter writer;
    private final boolean dataChecksums;
    private final Map<RelTag, Integer> relSizes = new TreeMap<>();
    private final Map<DbTag, RelDirectory> relDirs = new TreeMap<>();
    private final SlruSegments slru;
    private DbDirectory dbDir;
    private TwoPhaseDirectory twoPhaseDir;
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
        this.slru = new SlruSegments(timeline, writer);
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
        if (finishesGistSplit(record, block) && !PageChecksum.isNew(page)) {
            clearGistFollowRight(page);
        }
        if (dataChecksums && !PageChecksum.isNew(page)) {
            PageChecksum.set(page, block.blockNumber());
        }
        putPage(block.rel(), block.blockNumber(), page);
    }

    private static boolean finishesGistSplit(WalRecord record, BlockReference block) {
        return record.rmgr() == ResourceManager.GIST
                && (record.rmgrInfo() == GIST_PAGE_UPDATE && block.id() == 1
                        || record.rmgrInfo() == GIST_PAGE_SPLIT && block.id() == 0);
    }

    private void clearGistFollowRight(byte[] page) {
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int special = b.getShort(16) & 0xFFFF;
        if (special + 16 > PAGE) {
            return;
        }
        b.putInt(special, (int) (lsn.value() >>> 32)).putInt(special + 4, (int) lsn.value());
        b.putShort(special + 12, (short) (b.getShort(special + 12) & ~GIST_FOLLOW_RIGHT));
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
            case XlogBody.NextOid n -> setCheckPoint(CheckPoints.withNextOid(checkPoint, n.nextOid()));
            case SmgrBody.Create c -> createRel(c.rel());
            case SmgrBody.Truncate t -> truncate(t);
            case XlogBody x -> { }
            case XactBody.Commit c -> completeXact(record, c.prepared(), c.details(), true);
            case XactBody.Abort a -> completeXact(record, a.prepared(), a.details(), false);
            case XactBody.Prepare p -> prepare(p);
            case XactBody.Assignment a -> a.subxacts().forEach(this::trackNextXid);
            case ClogBody.ZeroPage z -> slru.zeroPage(SlruKind.CLOG, z.pageNo(), lsn);
            case ClogBody.Truncate t -> truncateClog(t);
            case MultiXactBody.ZeroPage z -> slru.zeroPage(z.slru() == MultiXactBody.Slru.OFFSETS
                    ? SlruKind.MULTIXACT_OFFSETS : SlruKind.MULTIXACT_MEMBERS, z.pageNo(), lsn);
            case MultiXactBody.Create c -> createMultiXact(c);
            case MultiXactBody.Truncate t -> {
                MultiXacts.truncate(slru, t, lsn);
                CheckPoint c = checkPoint;
                setCheckPoint(CheckPoints.with(c, c.nextFullXid(), c.nextOid(), c.nextMulti(), c.nextMultiOffset(),
                        c.oldestXid(), c.oldestXidDb(), t.endTruncOff(), t.oldestMultiDb(), c.oldestActiveXid()));
            }
            case DbaseBody.CreateFileCopy f -> copyDatabase(f);
            case DbaseBody.CreateWalLog w -> createDatabase(new DbTag(w.tablespaceId(), w.dbId()));
            case DbaseBody.Drop d -> d.tablespaceIds().forEach(spc -> dropDatabase(new DbTag(spc, d.dbId())));
            case RelMapBody.Update u -> updateRelMap(u);
            case StandbyBody.RunningXacts r -> {
                CheckPoint c = checkPoint;
                setCheckPoint(CheckPoints.with(c, c.nextFullXid(), c.nextOid(), c.nextMulti(), c.nextMultiOffset(),
                        c.oldestXid(), c.oldestXidDb(), c.oldestMulti(), c.oldestMultiDb(), r.oldestRunningXid()));
            }
            case SmgrBody s -> { }
            case RecordBody.Unclassified u -> { }
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
     * remaining heap blocks, cutting a partial last VM page after the last kept bit; drops the FSM
     * fork (a hint PostgreSQL rebuilds). With data checksums PostgreSQL also logs the partial VM
     * page as a full-page image right before the truncate record; the cut is idempotent on top.
     */
    private void truncate(SmgrBody.Truncate t) {
        RelFileNode node = t.rel();
        if ((t.flags() & SmgrBody.TRUNCATE_HEAP) != 0) {
            shrink(node.fork(ForkNumber.MAIN), t.blockCount());
        }
        if ((t.flags() & SmgrBody.TRUNCATE_VM) != 0) {
            RelTag vm = node.fork(ForkNumber.VISIBILITY_MAP);
            long heapBlocks = Integer.toUnsignedLong(t.blockCount());
            int vmPage = (int) (heapBlocks / HEAPBLOCKS_PER_VM_PAGE);
            int mapByte = (int) (heapBlocks % HEAPBLOCKS_PER_VM_PAGE) / 4;
            int mapBit = (int) (heapBlocks % 4) * 2;
            boolean partial = mapByte != 0 || mapBit != 0;
            if (partial && relDir(vm.db()).contains(vm.relNode(), vm.fork())
                    && Integer.compareUnsigned(vmPage, relSize(vm)) < 0) {
                writer.put(Key.relBlock(vm, vmPage), lsn,
                        Value.record(new NeonWalRecord.TruncateVisibilityMap(mapByte, mapBit)));
            }
            shrink(vm, partial ? vmPage + 1 : vmPage);
        }
        if ((t.flags() & SmgrBody.TRUNCATE_FSM) != 0) {
            dropRel(node.fork(ForkNumber.FSM));
        }
    }

    private void shrink(RelTag rel, int blocks) {
        if (relDir(rel.db()).contains(rel.relNode(), rel.fork())
                && Integer.compareUnsigned(relSize(rel), blocks) > 0) {
            setRelSize(rel, blocks);
        }
    }

    // ---- databases ----

    /** A database directory without relations (CREATE_WAL_LOG); its relmap and relations follow in the WAL. */
    private void createDatabase(DbTag db) {
        if (!dbDir.contains(db)) {
            dbDir = dbDir.with(db, false);
            writer.put(Key.DB_DIR, lsn, Value.image(dbDir.encode()));
            putRelDir(db, RelDirectory.EMPTY);
        }
    }

    /** CREATE_FILE_COPY: the source database as of the previous record, copied key by key. */
    private void copyDatabase(DbaseBody.CreateFileCopy f) {
        DbTag src = new DbTag(f.srcTablespaceId(), f.srcDbId());
        DbTag dst = new DbTag(f.tablespaceId(), f.dbId());
        if (!dbDir.contains(src)) {
            throw new WalIngestException(lsn, "CREATE DATABASE (record ending at this LSN) copies " + src
                    + ", which does not exist", null);
        }
        Lsn at = timeline.lastRecordLsn();
        boolean hasRelMap = dbDir.databases().get(src);
        if (hasRelMap) {
            writer.put(Key.relMap(dst), lsn, Value.image(timeline.get(Key.relMap(src), at)));
        }
        dbDir = dbDir.with(dst, hasRelMap);
        writer.put(Key.DB_DIR, lsn, Value.image(dbDir.encode()));
        RelDirectory srcRels = relDir(src);
        putRelDir(dst, srcRels);
        for (RelDirectory.Entry entry : srcRels.rels()) {
            RelTag rel = src.rel(entry.relNode(), entry.fork());
            RelTag copy = dst.rel(entry.relNode(), entry.fork());
            int blocks = relSize(rel);
            setRelSize(copy, blocks);
            copyBlocks(rel, copy, blocks, at);
        }
    }

    private void copyBlocks(RelTag from, RelTag to, int blocks, Lsn at) {
        final int batch = 256;
        for (int first = 0; Integer.compareUnsigned(first, blocks) < 0; first += batch) {
            List<Key> keys = new ArrayList<>();
            for (int b = first; Integer.compareUnsigned(b, blocks) < 0 && b - first < batch; b++) {
                keys.add(Key.relBlock(from, b));
            }
            Map<Key, byte[]> pages = timeline.getVectored(keys, at);
            for (Key key : keys) {
                writer.put(Key.relBlock(to, key.field6()), lsn, Value.image(pages.get(key)));
            }
        }
    }

    private void dropDatabase(DbTag db) {
        if (!dbDir.contains(db)) {
            return;
        }
        dbDir = dbDir.without(db);
        writer.put(Key.DB_DIR, lsn, Value.image(dbDir.encode()));
        writer.delete(KeyRange.database(db), lsn);
        relDirs.remove(db);
        relSizes.keySet().removeIf(rel -> rel.db().equals(db));
    }

    // ---- transactions ----

    private void completeXact(WalRecord record, boolean prepared, XactBody.XactDetails details, boolean commit) {
        List<Integer> xids = new ArrayList<>();
        int xid = details.xid(record);
        xids.add(xid);
        xids.addAll(details.subxacts());
        Map<Integer, List<Integer>> byPage = new TreeMap<>();
        for (int x : xids) {
            byPage.computeIfAbsent(Integer.divideUnsigned(x, CLOG_XACTS_PER_PAGE), p -> new ArrayList<>()).add(x);
            trackNextXid(x);
        }
        for (var page : byPage.entrySet()) {
            NeonWalRecord update = commit ? new NeonWalRecord.ClogSetCommitted(page.getValue(), details.xactTime())
                    : new NeonWalRecord.ClogSetAborted(page.getValue());
            slru.update(SlruKind.CLOG, page.getKey(), update, lsn);
        }
        for (RelFileNode node : details.rels()) {
            for (ForkNumber fork : ForkNumber.values()) {
                dropRel(node.fork(fork));
            }
        }
        if (prepared) {
            long full = Integer.toUnsignedLong(xid);
            TwoPhaseDirectory dir = twoPhaseDir();
            if (dir.contains(full)) {
                putTwoPhaseDir(dir.without(full));
                writer.delete(KeyRange.of(Key.twoPhaseFile(full)), lsn);
            }
        }
    }

    private void prepare(XactBody.Prepare p) {
        p.subxacts().forEach(this::trackNextXid);
        long full = Integer.toUnsignedLong(p.xid());
        ByteBuffer state = p.state();
        byte[] blob = new byte[state.remaining()];
        state.get(blob);
        writer.put(Key.twoPhaseFile(full), lsn, Value.image(blob));
        TwoPhaseDirectory dir = twoPhaseDir();
        if (!dir.contains(full)) {
            putTwoPhaseDir(dir.with(full));
        }
    }

    private TwoPhaseDirectory twoPhaseDir() {
        if (twoPhaseDir == null) {
            twoPhaseDir = TwoPhaseDirectory.decode(timeline.get(Key.TWO_PHASE_DIR, timeline.lastRecordLsn()),
                    timeline.pgVersion());
        }
        return twoPhaseDir;
    }

    private void putTwoPhaseDir(TwoPhaseDirectory dir) {
        twoPhaseDir = dir;
        writer.put(Key.TWO_PHASE_DIR, lsn, Value.image(dir.encode(timeline.pgVersion())));
    }

    private void trackNextXid(int xid) {
        if (xid == 0) {
            return;
        }
        long epoch = checkPoint.nextFullXid() >>> 32;
        int next = checkPoint.nextXid();
        if (xid - next >= 0) { // modulo-2^32 comparison, as PostgreSQL's TransactionIdFollowsOrEquals
            long bumpedEpoch = Integer.compareUnsigned(xid + 1, next) < 0 ? epoch + 1 : epoch;
            setCheckPoint(CheckPoints.withNextFullXid(checkPoint, (bumpedEpoch << 32) | Integer.toUnsignedLong(xid + 1)));
        }
    }

    // ---- SLRU, relmap, checkpoint ----

    /** CLOG TRUNCATE: oldestXid/DB from the record, then {@link ClogTruncation}. */
    private void truncateClog(ClogBody.Truncate t) {
        CheckPoint c = checkPoint;
        setCheckPoint(CheckPoints.with(c, c.nextFullXid(), c.nextOid(), c.nextMulti(), c.nextMultiOffset(),
                t.oldestXact(), t.oldestXactDb(), c.oldestMulti(), c.oldestMultiDb(), c.oldestActiveXid()));
        ClogTruncation.apply(slru, t.pageNo(), checkPoint.nextXid(), lsn);
    }

    /** CREATE_ID: the SLRU writes, then nextMulti/nextMultiOffset and nextXid past every member. */
    private void createMultiXact(MultiXactBody.Create m) {
        MultiXacts.create(slru, m, lsn);
        CheckPoint c = checkPoint;
        int following = MultiXactOffsets.next(m.multiXactId());
        int nextMulti = following - c.nextMulti() > 0 ? following : c.nextMulti();
        int end = m.firstOffset() + m.members().size();
        int nextOffset = end - c.nextMultiOffset() > 0 ? end : c.nextMultiOffset();
        setCheckPoint(CheckPoints.with(c, c.nextFullXid(), c.nextOid(), nextMulti, nextOffset, c.oldestXid(),
                c.oldestXidDb(), c.oldestMulti(), c.oldestMultiDb(), c.oldestActiveXid()));
        for (MultiXactBody.Member member : m.members()) {
            trackNextXid(member.xid());
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
                : CheckPoints.withNextFullXid(logged, checkPoint.nextFullXid());
        setCheckPoint(merged);
    }

    private void setCheckPoint(CheckPoint next) {
        if (!next.equals(checkPoint)) {
            checkPoint = next;
            checkPointChanged = true;
        }
    }

    static byte[] u32le(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    static int u32le(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }
}
