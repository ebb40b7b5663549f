package dev.jneon.common.pg;

/**
 * One fork of one relation: tablespace, database and relfilenode OIDs (unsigned 32-bit, held in
 * ints) and the fork. Ordered by (spcnode, dbnode, relnode, fork), all unsigned. Immutable.
 */
public record RelTag(int spcNode, int dbNode, int relNode, ForkNumber fork) implements Comparable<RelTag> {

    public static final int DEFAULT_TABLESPACE = 1663;
    public static final int GLOBAL_TABLESPACE = 1664;

    public RelTag {
        if (fork == null) {
            throw new IllegalArgumentException("fork must not be null");
        }
    }

    /** The database directory this relation lives in. */
    public DbTag db() {
        return new DbTag(spcNode, dbNode);
    }

    public RelTag withFork(ForkNumber other) {
        return new RelTag(spcNode, dbNode, relNode, other);
    }

    @Override
    public int compareTo(RelTag o) {
        int c = Integer.compareUnsigned(spcNode, o.spcNode);
        if (c == 0) c = Integer.compareUnsigned(dbNode, o.dbNode);
        if (c == 0) c = Integer.compareUnsigned(relNode, o.relNode);
        if (c == 0) c = Integer.compare(fork.number(), o.fork.number());
        return c;
    }

    /** pg_waldump's form: {@code spc/db/rel} plus the fork name when not main. */
    @Override
    public String toString() {
        String base = Integer.toUnsignedString(spcNode) + "/" + Integer.toUnsignedString(dbNode) + "/"
                + Integer.toUnsignedString(relNode);
        return fork == ForkNumber.MAIN ? base : base + fork.fileSuffix();
    }
}
