package dev.jneon.common.wal.cli;

import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.wal.BlockImage;
import dev.jneon.common.wal.BlockReference;
import dev.jneon.common.wal.ImageCompression;
import dev.jneon.common.wal.WalRecord;
import dev.jneon.common.wal.record.RecordBody;

/**
 * One record in pg_waldump's text format (PostgreSQL 15): {@code rmgr: %-11s len (rec/tot):
 * %6u/%6u, tx: %10u, lsn: %X/%08X, prev %X/%08X, desc: TYPE DESC}, then the block references —
 * inline ({@code , blkref #0: rel s/d/r [fork f] blk n [FPW]}) or, with {@code bkpDetails}, one
 * per line as pg_waldump's {@code -b} prints them. Stateless.
 */
final class RecordLine {

    private static final String[] FORK_NAMES = {"main", "fsm", "vm", "init"};

    private RecordLine() {}

    static String format(WalRecord r, RecordBody body, boolean bkpDetails) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(String.format("rmgr: %-11s len (rec/tot): %6d/%6d, tx: %10s, lsn: %s, prev %s, ", rmgrName(r),
                r.totalLength() - r.imageBytes(), r.totalLength(), Integer.toUnsignedString(r.xid()), lsn(r.lsn().value()),
                lsn(r.prev().value())));
        sb.append("desc: ").append(r.identify()).append(' ').append(RecordDescription.of(r, body));
        for (BlockReference b : r.blocks()) {
            if (bkpDetails) {
                sb.append("\n\tblkref #").append(b.id()).append(": rel ").append(relName(b)).append(" fork ")
                        .append(FORK_NAMES[b.rel().fork().number()]).append(" blk ")
                        .append(Integer.toUnsignedString(b.blockNumber()));
                BlockImage img = b.image();
                if (img != null) {
                    sb.append(" (FPW").append(img.apply() ? "" : " for WAL verification").append("); hole: offset: ")
                            .append(img.holeOffset()).append(", length: ").append(img.holeLength());
                    if (img.compression() != ImageCompression.NONE) {
                        sb.append(", compression saved: ").append(img.compressionSaved()).append(", method: ")
                                .append(img.compression().pgName());
                    }
                }
            } else {
                sb.append(", blkref #").append(b.id()).append(": rel ").append(relName(b));
                if (b.rel().fork() != ForkNumber.MAIN) {
                    sb.append(" fork ").append(FORK_NAMES[b.rel().fork().number()]);
                }
                sb.append(" blk ").append(Integer.toUnsignedString(b.blockNumber()));
                if (b.image() != null) {
                    sb.append(b.image().apply() ? " FPW" : " FPW for WAL verification");
                }
            }
        }
        return sb.toString();
    }

    static String rmgrName(WalRecord r) {
        return r.rmid() >= 128 ? String.format("custom%03d", r.rmid()) : r.rmgr().pgName();
    }

    private static String relName(BlockReference b) {
        return Integer.toUnsignedString(b.rel().spcNode()) + "/" + Integer.toUnsignedString(b.rel().dbNode()) + "/"
                + Integer.toUnsignedString(b.rel().relNode());
    }

    /** pg_waldump 15's LSN form in its line prefix: high half bare, low half padded to 8 digits. */
    static String lsn(long v) {
        return String.format("%X/%08X", v >>> 32, v & 0xFFFFFFFFL);
    }
}
