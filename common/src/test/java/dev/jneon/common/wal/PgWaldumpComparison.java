package dev.jneon.common.wal;

import dev.jneon.common.wal.cli.WalCat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Field-by-field comparison of decoded records with pg_waldump's listing: LSN, prev, rmgr, record
 * type, lengths, xid, block references with image parity, and the whole line for the typed rmgrs.
 */
final class PgWaldumpComparison {

    private static final Set<String> EXACT_DESC_RMGRS = Set.of("XLOG", "Transaction", "Storage", "CLOG", "Database",
            "MultiXact", "RelMap");

    private PgWaldumpComparison() {}

    /** Up to 20 mismatches between {@code records} and {@code listing}, plus a count mismatch. */
    static List<String> mismatches(List<WalRecord> records, PgWaldumpListing listing) throws Exception {
        List<String> out = new ArrayList<>();
        int n = Math.min(records.size(), listing.entries().size());
        for (int i = 0; i < n && out.size() < 20; i++) {
            compare(records.get(i), listing.entries().get(i), out);
        }
        if (records.size() != listing.entries().size()) {
            out.add(records.size() + " records decoded, pg_waldump lists " + listing.entries().size());
        }
        return out;
    }

    static void compare(WalRecord r, PgWaldumpListing.Entry e, List<String> mismatches) throws Exception {
        List<String> diffs = new ArrayList<>();
        check(diffs, "lsn", r.lsn(), e.lsn());
        check(diffs, "prev", r.prev(), e.prev());
        check(diffs, "rmgr", r.rmgr().pgName(), e.rmgr());
        check(diffs, "identify", r.identify(), e.identify());
        check(diffs, "tot_len", r.totalLength(), e.totLen());
        check(diffs, "rec_len", r.totalLength() - r.imageBytes(), e.recLen());
        check(diffs, "xid", Integer.toUnsignedLong(r.xid()), e.xid());
        check(diffs, "blocks", r.blocks().size(), e.blocks().size());
        for (int i = 0; i < Math.min(r.blocks().size(), e.blocks().size()); i++) {
            BlockReference b = r.blocks().get(i);
            PgWaldumpListing.Block p = e.blocks().get(i);
            String rel = Integer.toUnsignedString(b.rel().spcNode()) + "/" + Integer.toUnsignedString(b.rel().dbNode())
                    + "/" + Integer.toUnsignedString(b.rel().relNode());
            check(diffs, "block id", b.id(), p.id());
            check(diffs, "block rel", rel, p.rel());
            check(diffs, "block fork", List.of("main", "fsm", "vm", "init").get(b.rel().fork().number()), p.fork());
            check(diffs, "block number", Integer.toUnsignedLong(b.blockNumber()), p.blk());
            check(diffs, "block has image", b.hasImage(), p.hasImage());
            if (b.hasImage() && p.hasImage()) {
                BlockImage img = b.image();
                check(diffs, "image apply", img.apply(), p.apply());
                check(diffs, "hole offset", img.holeOffset(), p.holeOffset());
                check(diffs, "hole length", img.holeLength(), p.holeLength());
                check(diffs, "method", img.compression().pgName(), p.method());
                check(diffs, "compression saved", p.method() == null ? 0 : img.compressionSaved(), p.compressionSaved());
            }
        }
        if (EXACT_DESC_RMGRS.contains(e.rmgr()) || e.identify().equals("RUNNING_XACTS")) {
            String mine = WalCat.format(r, true).lines().findFirst().orElseThrow().stripTrailing();
            check(diffs, "line", mine, e.line());
        }
        if (!diffs.isEmpty()) {
            mismatches.add(r.lsn() + ": " + String.join("; ", diffs));
        }
    }

    private static void check(List<String> diffs, String what, Object mine, Object theirs) {
        if (!Objects.equals(mine, theirs)) {
            diffs.add(what + " " + mine + " vs pg_waldump " + theirs);
        }
    }
}
