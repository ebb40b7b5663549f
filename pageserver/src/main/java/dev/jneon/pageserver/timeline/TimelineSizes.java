package dev.jneon.pageserver.timeline;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.RelTag;
import dev.jneon.pageserver.layer.PersistentLayer;

/**
 * Sizes reported in TimelineInfo: physical (bytes of the timeline's layer files) and logical (the
 * sum of all relation fork sizes at an LSN, times 8 KiB, computed from the directory keys each
 * time). Stateless.
 */
public final class TimelineSizes {

    private static final long PAGE = 8192;

    private TimelineSizes() {}

    /** Bytes of the timeline's layer files on local disk (evicted layers count 0). */
    public static long physicalSize(Timeline timeline) {
        long total = 0;
        for (PersistentLayer layer : timeline.layers().historic()) {
            total += layer.residence().residentBytes();
        }
        return total;
    }

    public static long logicalSize(Timeline timeline, Lsn lsn) {
        DbDirectory dbs = DbDirectory.decode(timeline.get(Key.DB_DIR, lsn));
        long blocks = 0;
        for (DbTag db : dbs.databases().keySet()) {
            RelDirectory rels = RelDirectory.decode(timeline.get(Key.relDir(db), lsn));
            for (RelDirectory.Entry rel : rels.rels()) {
                byte[] size = timeline.get(Key.relSize(new RelTag(db.spcNode(), db.dbNode(), rel.relNode(), rel.fork())), lsn);
                blocks += (size[0] & 0xFFL) | (size[1] & 0xFFL) << 8 | (size[2] & 0xFFL) << 16 | (size[3] & 0xFFL) << 24;
            }
        }
        return blocks * PAGE;
    }
}
