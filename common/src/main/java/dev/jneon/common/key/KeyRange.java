package dev.jneon.common.key;

import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;

/**
 * A half-open key range {@code [start, end)}; {@code start <= end}, empty when equal. Text form
 * {@code <start>-<end>} as in layer file names. Immutable.
 */
public record KeyRange(Key start, Key end) {

    /** Every key but {@link Key#MAX} (the conventional "whole key space"). */
    public static final KeyRange ALL = new KeyRange(Key.MIN, Key.MAX);

    public KeyRange {
        if (start == null || end == null) {
            throw new IllegalArgumentException("key range bounds must not be null");
        }
        if (start.compareTo(end) > 0) {
            throw new IllegalArgumentException("key range start " + start + " is after its end " + end);
        }
    }

    /** The range holding exactly {@code key}. */
    public static KeyRange of(Key key) {
        return new KeyRange(key, key.next());
    }

    /**
     * One fork of a relation: its blocks and its size key, {@code [(rel, fork, 0), (rel, fork+1, 0))}
     * (Neon's rel_key_range).
     */
    public static KeyRange relation(RelTag rel) {
        Key first = Key.relBlock(rel, 0);
        return new KeyRange(first, new Key(0x00, rel.spcNode(), rel.dbNode(), rel.relNode(), rel.fork().number() + 1, 0));
    }

    /** Only the blocks of one fork, excluding its size key. */
    public static KeyRange relationBlocks(RelTag rel) {
        return new KeyRange(Key.relBlock(rel, 0), Key.relSize(rel));
    }

    /** Every fork of a relation: blocks and sizes of forks 0..255. */
    public static KeyRange relationAllForks(RelTag rel) {
        Key last = new Key(0x00, rel.spcNode(), rel.dbNode(), rel.relNode(), 0xFF, Key.SIZE_MARKER);
        return new KeyRange(Key.relBlock(rel.withFork(ForkNumber.MAIN), 0), last.next());
    }

    /**
     * Everything under one database: its relmap, its rel directory and all of its relations, i.e.
     * every key starting {@code 00 spc db}. (Neon's dbdir_key_range stops one key short of this; the
     * key it leaves out has fork 0xFF and is never written.)
     */
    public static KeyRange database(DbTag db) {
        Key last = new Key(0x00, db.spcNode(), db.dbNode(), -1, 0xFF, -1);
        return new KeyRange(Key.relMap(db), last.next());
    }

    /** One SLRU segment: its pages and its size key. */
    public static KeyRange slruSegment(SlruKind kind, int segment) {
        return new KeyRange(Key.slruBlock(kind, segment, 0), new Key(0x01, kind.number(), 1, segment, 1, 0));
    }

    public boolean isEmpty() {
        return start.equals(end);
    }

    public boolean contains(Key key) {
        return start.compareTo(key) <= 0 && key.compareTo(end) < 0;
    }

    /** Whether {@code other} lies wholly inside this range (an empty range lies inside any range). */
    public boolean contains(KeyRange other) {
        return other.isEmpty() || (start.compareTo(other.start) <= 0 && other.end.compareTo(end) <= 0);
    }

    /** Whether some key is in both ranges. */
    public boolean overlaps(KeyRange other) {
        return start.compareTo(other.end) < 0 && other.start.compareTo(end) < 0 && !isEmpty() && !other.isEmpty();
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
