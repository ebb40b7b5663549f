package dev.jneon.common.key;

import dev.jneon.common.pg.DbTag;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value at {@link Key#DB_DIR}: every database directory of the cluster, each with whether its
 * relmapper file exists yet. Encoding (Neon BeSer of a map {@code (u32 spc, u32 db) -> bool}):
 * u64 count, then per entry u32 spc, u32 db, u8 0/1; big-endian; we write entries in (spc, db)
 * order, and accept any order. {@link #databases()} is an unmodifiable map sorted by (spc, db). Immutable.
 */
public record DbDirectory(Map<DbTag, Boolean> databases) {

    public static final DbDirectory EMPTY = new DbDirectory(new TreeMap<>());

    private static final int ENTRY_SIZE = 9;

    public DbDirectory {
        if (databases == null || databases.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw new IllegalArgumentException("database directory entries must not be null");
        }
        databases = Collections.unmodifiableSortedMap(new TreeMap<>(databases));
    }

    public boolean contains(DbTag db) {
        return databases.containsKey(db);
    }

    /** This directory with {@code db} added or updated. */
    public DbDirectory with(DbTag db, boolean relMapExists) {
        TreeMap<DbTag, Boolean> copy = new TreeMap<>(databases);
        copy.put(db, relMapExists);
        return new DbDirectory(copy);
    }

    public DbDirectory without(DbTag db) {
        TreeMap<DbTag, Boolean> copy = new TreeMap<>(databases);
        copy.remove(db);
        return new DbDirectory(copy);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(8 + ENTRY_SIZE * databases.size());
        out.putLong(databases.size());
        for (Map.Entry<DbTag, Boolean> e : databases.entrySet()) {
            out.putInt(e.getKey().spcNode()).putInt(e.getKey().dbNode()).put((byte) (e.getValue() ? 1 : 0));
        }
        return out.array();
    }

    public static DbDirectory decode(byte[] bytes) {
        BeSerReader in = new BeSerReader(bytes, "DbDirectory");
        int count = in.count(ENTRY_SIZE);
        TreeMap<DbTag, Boolean> map = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            int spc = in.u32();
            int db = in.u32();
            if (spc == 0) {
                throw in.fail("entry " + i + " has tablespace OID 0");
            }
            if (map.put(new DbTag(spc, db), in.bool()) != null) {
                throw in.fail("database " + new DbTag(spc, db) + " is listed twice");
            }
        }
        in.end();
        return new DbDirectory(map);
    }
}
