package dev.jneon.common.key;

import dev.jneon.common.pg.PgMajorVersion;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The value at {@link Key#TWO_PHASE_DIR}: the xids of the prepared transactions whose state files
 * exist. Before PostgreSQL 17 they are 32-bit xids, from 17 on 64-bit full xids; both are held as
 * unsigned longs here. Encoding (Neon BeSer of a set): u64 count, then each xid as u32 (PG 14..16)
 * or u64 (PG 17) big-endian; written ascending, read in any order. {@link #xids()} is an
 * unmodifiable set in unsigned order. Immutable.
 */
public record TwoPhaseDirectory(Set<Long> xids) {

    private static final Comparator<Long> ORDER = Long::compareUnsigned;

    public static final TwoPhaseDirectory EMPTY = new TwoPhaseDirectory(new TreeSet<>());

    public TwoPhaseDirectory {
        xids = DirectorySet.frozen(xids, ORDER, "two-phase xids");
    }

    public boolean contains(long xid) {
        return xids.contains(xid);
    }

    public TwoPhaseDirectory with(long xid) {
        return new TwoPhaseDirectory(DirectorySet.plus(xids, xid, ORDER));
    }

    public TwoPhaseDirectory without(long xid) {
        return new TwoPhaseDirectory(DirectorySet.minus(xids, xid, ORDER));
    }

    /** The encoding for {@code version}; a 32-bit version rejects xids above 2^32-1. */
    public byte[] encode(PgMajorVersion version) {
        int width = xidWidth(version);
        ByteBuffer out = ByteBuffer.allocate(8 + width * xids.size());
        out.putLong(xids.size());
        for (long xid : xids) {
            if (width == 8) {
                out.putLong(xid);
            } else if (xid >>> 32 == 0) {
                out.putInt((int) xid);
            } else {
                throw new IllegalArgumentException("xid " + Long.toUnsignedString(xid)
                        + " does not fit the 32-bit two-phase directory of PostgreSQL " + version);
            }
        }
        return out.array();
    }

    public static TwoPhaseDirectory decode(byte[] bytes, PgMajorVersion version) {
        int width = xidWidth(version);
        BeSerReader in = new BeSerReader(bytes, "TwoPhaseDirectory (PostgreSQL " + version + ")");
        Supplier<Long> xid = width == 8 ? in::u64 : () -> Integer.toUnsignedLong(in.u32());
        return new TwoPhaseDirectory(in.set(width, ORDER, xid, x -> "xid " + Long.toUnsignedString(x)));
    }

    private static int xidWidth(PgMajorVersion version) {
        return switch (version) {
            case PG14, PG15, PG16 -> 4;
            case PG17 -> 8;
        };
    }
}
