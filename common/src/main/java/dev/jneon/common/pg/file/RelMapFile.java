package dev.jneon.common.pg.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A relation mapper file, {@code pg_filenode.map} (PostgreSQL 15): which relfilenode each mapped catalog (pg_class, its indexes, the shared catalogs) lives
 * in. {@code global/pg_filenode.map} maps the shared catalogs, {@code base/<db>/pg_filenode.map}
 * those of one database.
 *
 * <p>512 bytes, little-endian: i32 magic 0x00592717 @0; i32 num_mappings @4 (0..62); 62 slots of
 * (u32 catalog OID, u32 filenode) @8..503, unused slots zero; u32 CRC-32C of bytes [0, 504) @504;
 * 4 zero pad bytes @508. Always written whole (WAL RELMAP UPDATE carries the full image); a missing
 * or corrupt file is FATAL to any backend that needs it.
 *
 * <p>Version history: v1 ({@code golden/relmap/v1}) is the layout checked on PostgreSQL 15, magic
 * 0x00592717. Immutable.
 */
public record RelMapFile(List<Mapping> mappings) {

    public static final int MAGIC = 0x00592717;
    public static final int FILE_SIZE = 512;
    public static final int MAX_MAPPINGS = 62;
    public static final int CRC_OFFSET = 504;

    /** One catalog OID and the relfilenode holding it (both u32, held in ints). */
    public record Mapping(int catalogOid, int filenode) {}

    public RelMapFile {
        mappings = List.copyOf(mappings);
        if (mappings.size() > MAX_MAPPINGS) {
            throw new IllegalArgumentException("a relmap holds at most " + MAX_MAPPINGS + " mappings, got " + mappings.size());
        }
    }

    public static RelMapFile parse(byte[] file) {
        if (file.length != FILE_SIZE) {
            throw new IllegalArgumentException("pg_filenode.map must be " + FILE_SIZE + " bytes, got " + file.length);
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException(String.format("pg_filenode.map has magic 0x%08X, expected 0x%08X",
                    b.getInt(0), MAGIC));
        }
        int stored = b.getInt(CRC_OFFSET);
        int computed = crc(file);
        if (stored != computed) {
            throw new IllegalArgumentException(String.format(
                    "pg_filenode.map CRC mismatch: stored 0x%08X, computed 0x%08X; the file is corrupt", stored, computed));
        }
        int count = b.getInt(4);
        if (count < 0 || count > MAX_MAPPINGS) {
            throw new IllegalArgumentException("pg_filenode.map claims " + count + " mappings (valid: 0.." + MAX_MAPPINGS + ")");
        }
        List<Mapping> mappings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            mappings.add(new Mapping(b.getInt(8 + 8 * i), b.getInt(12 + 8 * i)));
        }
        return new RelMapFile(mappings);
    }

    public byte[] encode() {
        byte[] file = new byte[FILE_SIZE];
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MAGIC).putInt(4, mappings.size());
        for (int i = 0; i < mappings.size(); i++) {
            b.putInt(8 + 8 * i, mappings.get(i).catalogOid()).putInt(12 + 8 * i, mappings.get(i).filenode());
        }
        b.putInt(CRC_OFFSET, crc(file));
        return file;
    }

    /** The filenode of catalog {@code catalogOid}, or 0 (InvalidOid) when it is not mapped here. */
    public int filenodeOf(int catalogOid) {
        for (Mapping m : mappings) {
            if (m.catalogOid() == catalogOid) {
                return m.filenode();
            }
        }
        return 0;
    }

    private static int crc(byte[] file) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
