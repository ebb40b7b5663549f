package dev.jneon.common.key;

import dev.jneon.common.pg.PgMajorVersion;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The value at {@link Key#TWO_PHASE_DIR}: the xids of the prepared transactions whose state files
 * exist. Before PostgreSQL 17 they are 32-bit xids, from 17 on 64-bit full xids; both are held as
 * unsigned longs here. Encoding (Neon BeSer of a set): u64 count, then each xid as u32 (PG 14..16)
 * or u64 (PG 17) big-endian; written ascending, read in any order. {@link #xids()} is an
 * unmodifiable set in unsigned order. Immutable.
 */
public record TwoPhaseDirectory(Set<Long> xids) {

    public static final TwoPhaseDirectory EMPTY = new TwoPhaseDirectory(Collections.emptySortedSet());

    public TwoPhaseDirectory {
        xids = Collections.unmodifiableSortedSet(sorted(xids));
    }

    public boolean contains(long xid) {
        return xids.contains(xid);
    }

    public TwoPhaseDirectory with(long xid) {
        TreeSet<Long> copy = sorted(xids);
        copy.add(xid);
        return new TwoPhaseDirectory(copy);
    }

    public TwoPhaseDirectory without(long xid) {
        TreeSet<Long> copy = sorted(xids);
        copy.remove(xid);
        return new TwoPhaseDirectory(copy);
    }

    /** The encoding for {@code version}; a 32-bit version rejects xids above 2^32-1. */
    public byte[] encode(PgMajorVersion version) {
        int width = xidWidth(version);
        ByteBuffer out = ByteBuffer.allocate(8 + width * xids.size());
        out.putLong(xids.size());
        for (long xid : xids) {
            if (width == 4) {
                if (xid >>> 32 != 0) {
                    throw new IllegalArgumentException("xid " + Long.toUnsignedString(xid)
                            + " does not fit the 32-bit two-phase directory of PostgreSQL " + version);
                }
                out.putInt((int) xid);
            } else {
                out.putLong(xid);
            }
        }
        return out.array();
    }

    public static TwoPhaseDirectory decode(byte[] bytes, PgMajorVersion version) {
        int width = xidWidth(version);
        BeSerReader in = new BeSerReader(bytes, "TwoPhaseDirectory (PostgreSQL " + version + ")");
        int count = in.count(width);
        TreeSet<Long> set = sorted(Collections.emptySet());
        for (int i = 0; i < count; i++) {
            long xid = width == 4 ? Integer.toUnsignedLong(in.u32()) : in.u64();
            if (!set.add(xid)) {
                throw in.fail("xid " + Long.toUnsignedString(xid) + " is listed twice");
            }
        }
        in.end();
        return new TwoPhaseDirectory(set);
    }

    private static int xidWidth(PgMajorVersion version) {
        return switch (version) {
            case PG14, PG15, PG16 -> 4;
            case PG17 -> 8;
        };
    }

    private static TreeSet<Long> sorted(Collection<Long> xids) {
        if (xids == null || xids.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("two-phase xids must not be null");
        }
        TreeSet<Long> set = new TreeSet<>(Long::compareUnsigned);
        set.addAll(xids);
        return set;
    }
}
