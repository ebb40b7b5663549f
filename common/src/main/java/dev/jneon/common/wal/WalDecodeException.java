package dev.jneon.common.wal;

import dev.jneon.common.id.Lsn;

/**
 * WAL bytes that cannot be decoded: corrupt, truncated, or past the end of the valid WAL. Carries
 * the LSN where decoding failed (a page or record start, or the byte being read) and a
 * {@link Kind} the caller can act on. Immutable.
 */
public final class WalDecodeException extends Exception {

    /** What went wrong, grouped by what a reader does about it. */
    public enum Kind {
        /**
         * The bytes look like the end of the WAL that was written: a zeroed page or record header,
         * or a page left from an older, recycled segment (its pageaddr is behind). Normal at the
         * end of a pg_wal directory.
         */
        END_OF_WAL,
        /** The input ended inside a page header or a record. */
        TRUNCATED,
        /** Bad page magic, xlp_info bits, xlp_pageaddr, timeline or long-header fields. */
        BAD_PAGE_HEADER,
        /** A record continues on a page without the continuation flag, or with a wrong rem_len. */
        BAD_CONTINUATION,
        /** xl_tot_len out of bounds, unknown rmgr id, or xl_prev not the previous record. */
        BAD_RECORD_HEADER,
        /** The record's CRC-32C does not match. */
        BAD_CRC,
        /** Block headers, lengths or ids inside an otherwise intact record are inconsistent. */
        BAD_RECORD_BODY,
        /** A block image cannot be restored: bad hole or a decompression failure. */
        BAD_IMAGE,
        /** The main data of a record does not have the layout its rmgr and info require. */
        BAD_MAIN_DATA
    }

    private final Lsn lsn;
    private final Kind kind;

    public WalDecodeException(Lsn lsn, Kind kind, String reason) {
        super(kind + " at " + lsn + ": " + reason);
        this.lsn = lsn;
        this.kind = kind;
    }

    public Lsn lsn() {
        return lsn;
    }

    public Kind kind() {
        return kind;
    }
}
