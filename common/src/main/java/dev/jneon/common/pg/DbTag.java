package dev.jneon.common.pg;

/**
 * One database directory: tablespace and database OIDs (unsigned 32-bit, held in ints). The shared
 * catalogs live in {@link #GLOBAL} (tablespace 1664, database 0). Ordered unsigned by (spc, db).
 * Text form {@code spc/db}. Immutable.
 */
public record DbTag(int spcNode, int dbNode) implements Comparable<DbTag> {

    public static final DbTag GLOBAL = new DbTag(RelTag.GLOBAL_TABLESPACE, 0);

    public DbTag {
        if (spcNode == 0) {
            throw new IllegalArgumentException("tablespace OID 0 is not valid (database " + Integer.toUnsignedString(dbNode) + ")");
        }
    }

    /** The relation fork {@code relNode}/{@code fork} in this database. */
    public RelTag rel(int relNode, ForkNumber fork) {
        return new RelTag(spcNode, dbNode, relNode, fork);
    }

    @Override
    public int compareTo(DbTag o) {
        int c = Integer.compareUnsigned(spcNode, o.spcNode);
        return c != 0 ? c : Integer.compareUnsigned(dbNode, o.dbNode);
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(spcNode) + "/" + Integer.toUnsignedString(dbNode);
    }
}
