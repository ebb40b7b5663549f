package dev.jneon.common.wal.write;

import dev.jneon.common.wal.WalFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header at the start of every 8 KiB WAL page (PG15), as the writer lays it out. Short form,
 * 24 bytes: u16 xlp_magic @0 ({@link #MAGIC_PG15}), u16 xlp_info @2, u32 xlp_tli @4 (always 1),
 * u64 xlp_pageaddr @8, u32 xlp_rem_len @16, 4 zero bytes. Long form (info has
 * {@link WalFormat#XLP_LONG_HEADER}; exactly the first page of a segment), 40 bytes: the short
 * header plus u64 xlp_sysid @24, u32 xlp_seg_size @32, u32 xlp_xlog_blcksz @36 (8192).
 * Immutable.
 *
 * @param info xlp_info flags; only the four defined bits are allowed
 * @param pageAddress LSN of the page's first byte (a multiple of 8192)
 * @param remainingLength xlp_rem_len: bytes of a continued record still to come (0 unless CONTRECORD)
 * @param systemId xlp_sysid, written only in the long form
 * @param segmentSize xlp_seg_size, written only in the long form
 */
public record WalPageHeader(int info, long pageAddress, int remainingLength, long systemId, int segmentSize) {

    /** XLOG_PAGE_MAGIC of PostgreSQL 15. */
    public static final int MAGIC_PG15 = 0xD110;

    public WalPageHeader {
        if ((info & ~WalFormat.XLP_ALL_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown xlp_info bits in 0x" + Integer.toHexString(info));
        }
        if ((pageAddress & (WalFormat.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("page address " + Long.toHexString(pageAddress) + " is not a page start");
        }
        boolean contrecord = (info & WalFormat.XLP_FIRST_IS_CONTRECORD) != 0;
        if (remainingLength < 0 || contrecord != (remainingLength > 0)) {
            throw new IllegalArgumentException("xlp_rem_len " + Integer.toUnsignedString(remainingLength)
                    + " must be positive exactly when FIRST_IS_CONTRECORD is set (info 0x" + Integer.toHexString(info) + ")");
        }
    }

    public boolean isLong() {
        return (info & WalFormat.XLP_LONG_HEADER) != 0;
    }

    public int size() {
        return isLong() ? WalFormat.LONG_PAGE_HEADER_SIZE : WalFormat.SHORT_PAGE_HEADER_SIZE;
    }

    /** Writes the header at {@code offset} of {@code page}; pad bytes are written as zero. */
    public void writeTo(byte[] page, int offset) {
        ByteBuffer b = ByteBuffer.wrap(page, offset, size()).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) MAGIC_PG15).putShort((short) info).putInt(WalFormat.TIMELINE).putLong(pageAddress)
                .putInt(remainingLength).putInt(0);
        if (isLong()) {
            b.putLong(systemId).putInt(segmentSize).putInt(WalFormat.PAGE_SIZE);
        }
    }

    /** Reads the header at {@code offset} (long or short per its info bits); checks only the magic. */
    public static WalPageHeader readFrom(byte[] page, int offset) {
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int magic = Short.toUnsignedInt(b.getShort(offset));
        if (magic != MAGIC_PG15) {
            throw new IllegalArgumentException("bad WAL page magic 0x" + Integer.toHexString(magic) + " at offset " + offset
                    + ", expected 0x" + Integer.toHexString(MAGIC_PG15) + " (PostgreSQL 15)");
        }
        int info = Short.toUnsignedInt(b.getShort(offset + 2));
        boolean isLong = (info & WalFormat.XLP_LONG_HEADER) != 0;
        return new WalPageHeader(info, b.getLong(offset + 8), b.getInt(offset + 16),
                isLong ? b.getLong(offset + 24) : 0, isLong ? b.getInt(offset + 32) : 0);
    }
}
