package dev.jneon.common.wal.write;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A WAL record that carries main data and no block references, ready to be encoded (PG15 layout,
 * little-endian). Encoding: the 24-byte record header (u32 xl_tot_len @0, u32 xl_xid @4, u64 xl_prev
 * @8, u8 xl_info @16, u8 xl_rmid @17, 2 zero pad bytes, u32 xl_crc @20); then the main-data header,
 * {@code 0xFF} + u8 length when the data is at most 255 bytes, else {@code 0xFE} + u32 length; then
 * the data. No trailing padding: alignment is the writer's business. The CRC is CRC-32C over bytes
 * [24, xl_tot_len) continued over bytes [0, 20).
 *
 * <p>Immutable (the data array is copied in and never handed out).
 */
public record MainDataRecord(int xid, Lsn prev, int info, int rmid, byte[] mainData) {

    /** Main-data header id for data up to 255 bytes: 0xFF + u8 length. */
    public static final int MAIN_DATA_SHORT = 0xFF;
    /** Main-data header id for longer data: 0xFE + u32 length. */
    public static final int MAIN_DATA_LONG = 0xFE;
    /** Byte offset of xl_crc in the record header. */
    public static final int CRC_OFFSET = 20;

    public MainDataRecord {
        if (prev == null) {
            throw new IllegalArgumentException("xl_prev must not be null (use Lsn.INVALID for none)");
        }
        if ((info & ~0xFF) != 0 || (rmid & ~0xFF) != 0) {
            throw new IllegalArgumentException("xl_info and xl_rmid are single bytes, got info " + info + ", rmid " + rmid);
        }
        if (mainData == null || mainData.length == 0) {
            throw new IllegalArgumentException("a main-data record needs at least one byte of main data");
        }
        mainData = mainData.clone();
    }

    @Override
    public byte[] mainData() {
        return mainData.clone();
    }

    /** xl_tot_len of the encoded record. */
    public int totalLength() {
        int header = mainData.length <= 255 ? 2 : 5;
        return WalFormat.RECORD_HEADER_SIZE + header + mainData.length;
    }

    /** The record's bytes, CRC included. */
    public byte[] encode() {
        int total = totalLength();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(total).putInt(xid).putLong(prev.value()).put((byte) info).put((byte) rmid).putShort((short) 0).putInt(0);
        if (mainData.length <= 255) {
            b.put((byte) MAIN_DATA_SHORT).put((byte) mainData.length);
        } else {
            b.put((byte) MAIN_DATA_LONG).putInt(mainData.length);
        }
        b.put(mainData);
        byte[] record = b.array();
        b.putInt(CRC_OFFSET, crc(record));
        return record;
    }

    /**
     * The CRC a complete record ({@code record.length == xl_tot_len}) must carry: CRC-32C over
     * bytes [24, end) continued over bytes [0, 20). Whatever is stored at @20 is ignored.
     */
    public static int crc(byte[] record) {
        if (record.length < WalFormat.RECORD_HEADER_SIZE) {
            throw new IllegalArgumentException("a WAL record has at least " + WalFormat.RECORD_HEADER_SIZE
                    + " bytes, got " + record.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(record, WalFormat.RECORD_HEADER_SIZE, record.length - WalFormat.RECORD_HEADER_SIZE);
        crc.update(record, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }
}
