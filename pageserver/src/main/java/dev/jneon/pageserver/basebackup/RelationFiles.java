package dev.jneon.pageserver.basebackup;

import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The relation files of one database directory ({@code global/} or {@code base/<db>/}) at the
 * basebackup LSN (postgres-formats H): per relfilenode {@code <node>} (main), {@code <node>_vm};
 * segment n > 0 of a fork is {@code <node>[_vm].<n>}, every segment but the last holds exactly
 * {@code relsegSize} blocks and a 0-block fork is one empty file. FSM forks are left out (no known
 * free space; VACUUM rebuilds them). An unlogged relation (it has an init fork) ships its
 * {@code _init} and a main fork equal to it, no VM: PostgreSQL resets unlogged relations only in
 * recovery, which a compute never runs. Stateless; one call per database.
 */
final class RelationFiles {

    private RelationFiles() {}

    /** Writes every relation of {@code db} under {@code dir} (ending in '/'); returns the pages written. */
    static long write(TarWriter tar, PageSource source, DbTag db, String dir, int relsegSize) throws IOException {
        byte[] relDir = source.find(Key.relDir(db));
        if (relDir == null) {
            return 0;
        }
        Map<Integer, Set<ForkNumber>> forks = new TreeMap<>(Integer::compareUnsigned);
        for (RelDirectory.Entry e : RelDirectory.decode(relDir).rels()) {
            forks.computeIfAbsent(e.relNode(), n -> EnumSet.noneOf(ForkNumber.class)).add(e.fork());
        }
        long pages = 0;
        for (var rel : forks.entrySet()) {
            String base = dir + Integer.toUnsignedString(rel.getKey());
            Set<ForkNumber> present = rel.getValue();
            if (present.contains(ForkNumber.INIT)) {
                RelTag init = db.rel(rel.getKey(), ForkNumber.INIT);
                pages += writeFork(tar, source, init, base + ForkNumber.INIT.fileSuffix(), relsegSize);
                pages += writeFork(tar, source, init, base, relsegSize);
                continue;
            }
            for (ForkNumber fork : new ForkNumber[] {ForkNumber.MAIN, ForkNumber.VISIBILITY_MAP}) {
                if (present.contains(fork)) {
                    pages += writeFork(tar, source, db.rel(rel.getKey(), fork), base + fork.fileSuffix(), relsegSize);
                }
            }
        }
        return pages;
    }

    /** The fork {@code rel} as the segment files {@code name[.n]}; returns its size in pages. */
    private static int writeFork(TarWriter tar, PageSource source, RelTag rel, String name, int relsegSize)
            throws IOException {
        int size = source.u32(Key.relSize(rel));
        long blocks = Integer.toUnsignedLong(size);
        long segments = Math.max(1, (blocks + relsegSize - 1) / relsegSize);
        for (long segment = 0; segment < segments; segment++) {
            long first = segment * relsegSize;
            int count = (int) Math.min(relsegSize, blocks - first);
            source.writePages(tar, segment == 0 ? name : name + "." + segment, (int) first, count, size, false,
                    block -> Key.relBlock(rel, block));
        }
        return size;
    }
}
