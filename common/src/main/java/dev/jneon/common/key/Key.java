package dev.jneon.common.key;

import dev.jneon.common.id.HexDigits;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;

/**
 * An address in the pageserver's key-value space: six unsigned fields, {@code field1} u8,
 * {@code field2..4} u32, {@code field5} u8, {@code field6} u32 (u32s held in ints).
 *
 * <p>Binary form is 18 bytes big-endian in field order; text form is 36 uppercase hex digits
 * ({@code %02X%08X%08X%08X%02X%08X}; parsing accepts lowercase). Keys order as their bytes do
 * (unsigned, field by field). The layout of each kind of key (relation blocks, sizes, directories,
 * SLRUs, two-phase files, control file, checkpoint) is decoded by {@link #kind()} and built by the
 * static factories here. Keys whose field1 is at most 0x7F and field2 at most 0xFFFF also have a
 * 127-bit {@link CompactKey} form. Immutable.
 */
public record Key(int field1, int field2, int field3, int field4, int field5, int field6) implements Comparable<Key> {

    /** Bytes in the binary form. */
    public static final int SIZE = 18;
    /** field6 of size keys; also PostgreSQL's InvalidBlockNumber. */
    public static final int SIZE_MARKER = 0xFFFF_FFFF;

    public static final Key MIN = new Key(0, 0, 0, 0, 0, 0);
    public static final Key MAX = new Key(0xFF, -1, -1, -1, 0xFF, -1);

    public static final Key DB_DIR = MIN;
    public static final Key TWO_PHASE_DIR = new Key(0x02, 0, 0, 0, 0, 0);
    public static final Key CONTROL_FILE = new Key(0x03, 0, 0, 0, 0, 0);
    public static final Key CHECKPOINT = new Key(0x03, 0, 0, 0, 0, 1);
    /** Legacy single-key aux files (logical replication state); not inherited by branches. */
    public static final Key AUX_FILES_V1 = new Key(0x03, 0, 0, 0, 0, 2);

    public Key {
        if ((field1 & ~0xFF) != 0 || (field5 & ~0xFF) != 0) {
            throw new IllegalArgumentException("key fields 1 and 5 are bytes, got field1=" + field1 + " field5=" + field5);
        }
    }

    // ---- factories, one per kind (see KeyKind for decoding) ----

    /** The relmapper file ({@code pg_filenode.map}) of a database, or of the shared catalogs. */
    public static Key relMap(DbTag db) {
        return new Key(0x00, db.spcNode(), db.dbNode(), 0, 0, 0);
    }

    /** The set of relation forks that exist in a database. */
    public static Key relDir(DbTag db) {
        return new Key(0x00, db.spcNode(), db.dbNode(), 0, 0, 1);
    }

    /** Block {@code block} of a relation fork. */
    public static Key relBlock(RelTag rel, int block) {
        requireRelation(rel);
        if (block == SIZE_MARKER) {
            throw new IllegalArgumentException("block number 4294967295 of " + rel + " is InvalidBlockNumber");
        }
        return new Key(0x00, rel.spcNode(), rel.dbNode(), rel.relNode(), rel.fork().number(), block);
    }

    /** The size in blocks of a relation fork. */
    public static Key relSize(RelTag rel) {
        requireRelation(rel);
        return new Key(0x00, rel.spcNode(), rel.dbNode(), rel.relNode(), rel.fork().number(), SIZE_MARKER);
    }

    /** The set of segments of one SLRU. */
    public static Key slruDir(SlruKind kind) {
        return new Key(0x01, kind.number(), 0, 0, 0, 0);
    }

    /** Page {@code block} of SLRU segment {@code segment}. */
    public static Key slruBlock(SlruKind kind, int segment, int block) {
        if (block == SIZE_MARKER) {
            throw new IllegalArgumentException("block number 4294967295 of " + kind + " segment "
                    + Integer.toUnsignedString(segment) + " is reserved for the segment size");
        }
        return new Key(0x01, kind.number(), 1, segment, 0, block);
    }

    /** The size in pages of one SLRU segment. */
    public static Key slruSegSize(SlruKind kind, int segment) {
        return new Key(0x01, kind.number(), 1, segment, 0, SIZE_MARKER);
    }

    /**
     * The state file of the prepared transaction {@code xid}: a 32-bit xid before PostgreSQL 17,
     * a 64-bit full xid from 17 on, split as field4 = xid bits 40..63, field5 = bits 32..39,
     * field6 = bits 0..31.
     */
    public static Key twoPhaseFile(long xid) {
        if (xid == 0) {
            throw new IllegalArgumentException("two-phase file for xid 0 (InvalidTransactionId)");
        }
        return new Key(0x02, 0, 0, (int) (xid >>> 40), (int) (xid >>> 32) & 0xFF, (int) xid);
    }

    private static void requireRelation(RelTag rel) {
        if (rel.relNode() == 0) {
            throw new IllegalArgumentException("relfilenode 0 is not a relation: " + rel);
        }
        if (rel.spcNode() == 0) {
            throw new IllegalArgumentException("tablespace OID 0 is not valid: " + rel);
        }
    }

    // ---- decoding and predicates ----

    /** What this key addresses, with the decoded fields. */
    public KeyKind kind() {
        return KeyKind.of(this);
    }

    /** Neon's rel-block test: field1 0, a relfilenode, and not the size marker. */
    public boolean isRelBlock() {
        return field1 == 0x00 && field4 != 0 && field6 != SIZE_MARKER;
    }

    public boolean isRelSize() {
        return field1 == 0x00 && field6 == SIZE_MARKER;
    }

    public boolean isSlruBlock() {
        return field1 == 0x01 && field3 == 1 && field6 != SIZE_MARKER;
    }

    public boolean isSlruSegSize() {
        return field1 == 0x01 && Integer.compareUnsigned(field2, 3) < 0 && field3 == 1 && field5 == 0
                && field6 == SIZE_MARKER;
    }

    public boolean isSlruDir() {
        return field1 == 0x01 && field3 == 0 && field4 == 0 && field5 == 0 && field6 == 0;
    }

    /** Sparse (metadata) key space: field1 in [0x60, 0x7F). Reserved in jneon. */
    public boolean isSparse() {
        return field1 >= 0x60 && field1 < 0x7F;
    }

    /** Aux-file v2 keys (field1 0x62): unused in jneon, kept on shard 0 only. */
    public boolean isAuxFile() {
        return field1 == 0x62;
    }

    // ---- text, bytes, order ----

    /** Parses 36 hex digits; throws {@link IllegalArgumentException} naming the bad input. */
    public static Key parse(String text) {
        if (text == null || text.length() != 36) {
            throw new IllegalArgumentException("malformed key '" + text + "': expected 36 hex digits");
        }
        return new Key((int) HexDigits.parseUnsigned(text, 0, 2, "key"), (int) HexDigits.parseUnsigned(text, 2, 10, "key"),
                (int) HexDigits.parseUnsigned(text, 10, 18, "key"), (int) HexDigits.parseUnsigned(text, 18, 26, "key"),
                (int) HexDigits.parseUnsigned(text, 26, 28, "key"), (int) HexDigits.parseUnsigned(text, 28, 36, "key"));
    }

    /** Reads the 18-byte form at {@code offset}. */
    public static Key fromBytes(byte[] bytes, int offset) {
        if (offset < 0 || bytes.length - offset < SIZE) {
            throw new IllegalArgumentException("key needs " + SIZE + " bytes at offset " + offset + ", have "
                    + Math.max(0, bytes.length - offset));
        }
        return new Key(bytes[offset] & 0xFF, readInt(bytes, offset + 1), readInt(bytes, offset + 5),
                readInt(bytes, offset + 9), bytes[offset + 13] & 0xFF, readInt(bytes, offset + 14));
    }

    /** Writes the 18-byte form at {@code offset}. */
    public void writeTo(byte[] bytes, int offset) {
        bytes[offset] = (byte) field1;
        writeInt(bytes, offset + 1, field2);
        writeInt(bytes, offset + 5, field3);
        writeInt(bytes, offset + 9, field4);
        bytes[offset + 13] = (byte) field5;
        writeInt(bytes, offset + 14, field6);
    }

    public byte[] toBytes() {
        byte[] out = new byte[SIZE];
        writeTo(out, 0);
        return out;
    }

    /** The key right after this one (adds 1 to field6, carrying up); {@link IllegalStateException} at MAX. */
    public Key next() {
        if (equals(MAX)) {
            throw new IllegalStateException("Key.MAX has no successor");
        }
        int f6 = field6 + 1, f5 = field5, f4 = field4, f3 = field3, f2 = field2, f1 = field1;
        if (f6 == 0 && ++f5 == 0x100) {
            f5 = 0;
            if (++f4 == 0 && ++f3 == 0 && ++f2 == 0) {
                f1++;
            }
        }
        return new Key(f1, f2, f3, f4, f5, f6);
    }

    /** Whether {@link #toCompact()} can represent this key: field1 ≤ 0x7F and field2 ≤ 0xFFFF. */
    public boolean isCompactRepresentable() {
        return field1 <= 0x7F && Integer.compareUnsigned(field2, 0xFFFF) <= 0;
    }

    /** The 127-bit form; {@link IllegalArgumentException} if not {@link #isCompactRepresentable()}. */
    public CompactKey toCompact() {
        if (!isCompactRepresentable()) {
            throw new IllegalArgumentException("key " + this + " has no compact form: needs field1 <= 7F and field2 <= FFFF");
        }
        long high = (long) field1 << 56 | (long) field2 << 40 | Integer.toUnsignedLong(field3) << 8 | field4 >>> 24;
        long low = (long) field4 << 40 | (long) field5 << 32 | Integer.toUnsignedLong(field6);
        return new CompactKey(high, low);
    }

    public static Key fromCompact(CompactKey compact) {
        long hi = compact.high();
        long lo = compact.low();
        return new Key((int) (hi >>> 56), (int) (hi >>> 40) & 0xFFFF, (int) (hi >>> 8),
                (int) (hi << 24) | (int) (lo >>> 40), (int) (lo >>> 32) & 0xFF, (int) lo);
    }

    @Override
    public int compareTo(Key o) {
        int c = Integer.compare(field1, o.field1);
        if (c == 0) c = Integer.compareUnsigned(field2, o.field2);
        if (c == 0) c = Integer.compareUnsigned(field3, o.field3);
        if (c == 0) c = Integer.compareUnsigned(field4, o.field4);
        if (c == 0) c = Integer.compare(field5, o.field5);
        if (c == 0) c = Integer.compareUnsigned(field6, o.field6);
        return c;
    }

    @Override
    public String toString() {
        return String.format("%02X%08X%08X%08X%02X%08X", field1, field2, field3, field4, field5, field6);
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
