package dev.jneon.common.key;

import dev.jneon.common.pg.ForkNumber;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The value at {@link Key#relDir}: the relation forks that exist in one database. Encoding (Neon
 * BeSer of a set of {@code (u32 relnode, u8 fork)}): u64 count, then per entry u32 relnode and u8
 * fork number; big-endian; written in (relnode unsigned, fork) order, read in any order.
 * {@link #rels()} is an unmodifiable set in that order. Immutable.
 */
public record RelDirectory(Set<Entry> rels) {

    /** One fork of one relation of the database. */
    public record Entry(int relNode, ForkNumber fork) implements Comparable<Entry> {

        private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::relNode, Integer::compareUnsigned)
                .thenComparing(Entry::fork);

        public Entry {
            if (relNode == 0 || fork == null) {
                throw new IllegalArgumentException("relation directory entry needs a relfilenode and a fork, got "
                        + relNode + "/" + fork);
            }
        }

        @Override
        public int compareTo(Entry o) {
            return ORDER.compare(this, o);
        }
    }

    public static final RelDirectory EMPTY = new RelDirectory(new TreeSet<>());

    private static final int ENTRY_SIZE = 5;

    public RelDirectory {
        rels = DirectorySet.frozen(rels, Comparator.naturalOrder(), "relation directory entries");
    }

    public boolean contains(int relNode, ForkNumber fork) {
        return rels.contains(new Entry(relNode, fork));
    }

    public RelDirectory with(int relNode, ForkNumber fork) {
        return new RelDirectory(DirectorySet.plus(rels, new Entry(relNode, fork), Comparator.naturalOrder()));
    }

    public RelDirectory without(int relNode, ForkNumber fork) {
        return new RelDirectory(DirectorySet.minus(rels, new Entry(relNode, fork), Comparator.naturalOrder()));
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(8 + ENTRY_SIZE * rels.size());
        out.putLong(rels.size());
        for (Entry e : rels) {
            out.putInt(e.relNode()).put((byte) e.fork().number());
        }
        return out.array();
    }

    public static RelDirectory decode(byte[] bytes) {
        BeSerReader in = new BeSerReader(bytes, "RelDirectory");
        return new RelDirectory(in.set(ENTRY_SIZE, Comparator.naturalOrder(), () -> readEntry(in),
                e -> "relation " + Integer.toUnsignedString(e.relNode()) + " fork " + e.fork().number()));
    }

    private static Entry readEntry(BeSerReader in) {
        int rel = in.u32();
        int fork = in.u8();
        if (rel == 0 || fork > ForkNumber.INIT.number()) {
            throw in.fail("entry (relfilenode " + Integer.toUnsignedString(rel) + ", fork " + fork
                    + ") is not a relation fork");
        }
        return new Entry(rel, ForkNumber.of(fork));
    }
}
