package dev.jneon.common.wal;

/**
 * Byte-layout constants of PostgreSQL WAL shared by the decoder and the writer
 * (postgres: src/include/access/xlog_internal.h, xlogrecord.h). Little-endian throughout.
 *
 * <p>Page header (every 8 KiB page): u16 xlp_magic @0, u16 xlp_info @2, u32 xlp_tli @4,
 * u64 xlp_pageaddr @8, u32 xlp_rem_len @16, 4 pad bytes: 24 bytes. The long header of a segment's
 * first page adds u64 xlp_sysid @24, u32 xlp_seg_size @32, u32 xlp_xlog_blcksz @36: 40 bytes.
 *
 * <p>Record header: u32 xl_tot_len @0, u32 xl_xid @4, u64 xl_prev @8, u8 xl_info @16,
 * u8 xl_rmid @17, 2 pad, u32 xl_crc @20 (CRC-32C over the record after the header, then over the
 * header's first 20 bytes): 24 bytes. Records start MAXALIGNed (8).
 */
public final class WalFormat {

    private WalFormat() {}

    public static final int PAGE_SIZE = 8192;
    public static final int SHORT_PAGE_HEADER_SIZE = 24;
    public static final int LONG_PAGE_HEADER_SIZE = 40;
    public static final int RECORD_HEADER_SIZE = 24;
    public static final int MAXALIGN = 8;
    public static final int TIMELINE = 1;

    /** xlp_info: the page starts with the continuation of a record. */
    public static final int XLP_FIRST_IS_CONTRECORD = 0x0001;
    /** xlp_info: the page has a long header (first page of a segment). */
    public static final int XLP_LONG_HEADER = 0x0002;
    /** xlp_info: set when no backup is running; carries no meaning for readers. */
    public static final int XLP_BKP_REMOVABLE = 0x0004;
    /** xlp_info: the continuation was overwritten (aborted contrecord). */
    public static final int XLP_FIRST_IS_OVERWRITE_CONTRECORD = 0x0008;
    public static final int XLP_ALL_FLAGS = 0x000F;

    /** Largest xl_tot_len PostgreSQL writes (XLogRecordMaxSize, 1020 MiB); longer means corruption. */
    public static final int MAX_RECORD_SIZE = 1020 * 1024 * 1024;
    /** Offset of xl_crc in the record header; the CRC covers the header bytes before it. */
    public static final int RECORD_CRC_OFFSET = 20;

    /** Highest block reference id (XLR_MAX_BLOCK_ID). */
    public static final int XLR_MAX_BLOCK_ID = 32;
    /** Record body header ids that are not block references. */
    public static final int XLR_BLOCK_ID_DATA_SHORT = 255;
    public static final int XLR_BLOCK_ID_DATA_LONG = 254;
    public static final int XLR_BLOCK_ID_ORIGIN = 253;
    public static final int XLR_BLOCK_ID_TOPLEVEL_XID = 252;

    /** Block header fork_flags: low nibble is the fork number. */
    public static final int BKPBLOCK_FORK_MASK = 0x0F;
    public static final int BKPBLOCK_HAS_IMAGE = 0x10;
    public static final int BKPBLOCK_HAS_DATA = 0x20;
    public static final int BKPBLOCK_WILL_INIT = 0x40;
    public static final int BKPBLOCK_SAME_REL = 0x80;

    /** bimg_info bits of PostgreSQL 15 to 17. */
    public static final int BKPIMAGE_HAS_HOLE = 0x01;
    public static final int BKPIMAGE_APPLY = 0x02;
    public static final int BKPIMAGE_COMPRESS_PGLZ = 0x04;
    public static final int BKPIMAGE_COMPRESS_LZ4 = 0x08;
    public static final int BKPIMAGE_COMPRESS_ZSTD = 0x10;

    /** xl_info bits owned by the WAL machinery; the rest (mask 0xF0) belong to the rmgr. */
    public static final int XLR_INFO_MASK = 0x0F;
    public static final int XLR_RMGR_INFO_MASK = 0xF0;

    /** Size of a relation or WAL page image. */
    public static final int BLCKSZ = 8192;

    /** Size of the page header at {@code pageStartOffsetInSegment}: long on a segment's first page. */
    public static int pageHeaderSize(long lsnOfPageStart, int segmentSize) {
        return Long.remainderUnsigned(lsnOfPageStart, segmentSize) == 0 ? LONG_PAGE_HEADER_SIZE : SHORT_PAGE_HEADER_SIZE;
    }

    public static long maxAlign(long value) {
        return (value + MAXALIGN - 1) & ~(long) (MAXALIGN - 1);
    }

    /** {@code %08X%08X%08X} of timeline, segno / (4 GiB / segsz), segno % (4 GiB / segsz). */
    public static String segmentFileName(long segmentNumber, int segmentSize) {
        long perId = 0x1_0000_0000L / segmentSize;
        return String.format("%08X%08X%08X", TIMELINE, segmentNumber / perId, segmentNumber % perId);
    }
}
