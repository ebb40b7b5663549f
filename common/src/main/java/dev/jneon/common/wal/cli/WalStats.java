package dev.jneon.common.wal.cli;

import dev.jneon.common.wal.WalRecord;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts and sizes of records per rmgr and per rmgr/record type, printed like pg_waldump's
 * {@code --stats=record}: count, record bytes (without images), image bytes, total bytes. Not
 * thread-safe.
 */
final class WalStats {

    private static final class Row {
        long count;
        long recordBytes;
        long imageBytes;
    }

    private final Map<String, Row> byRmgr = new TreeMap<>();
    private final Map<String, Row> byType = new TreeMap<>();
    private final Row total = new Row();

    void add(WalRecord r) {
        String rmgr = RecordLine.rmgrName(r);
        int images = r.imageBytes();
        for (Row row : new Row[] {byRmgr.computeIfAbsent(rmgr, k -> new Row()),
                byType.computeIfAbsent(rmgr + "/" + r.identify(), k -> new Row()), total}) {
            row.count++;
            row.recordBytes += r.totalLength() - images;
            row.imageBytes += images;
        }
    }

    void print(PrintWriter w) {
        w.printf("%-32s %10s %14s %14s %14s%n", "Type", "N", "Record size", "FPI size", "Combined size");
        w.printf("%-32s %10s %14s %14s %14s%n", "----", "-", "-----------", "--------", "-------------");
        byType.forEach((k, row) -> line(w, k, row));
        w.println();
        byRmgr.forEach((k, row) -> line(w, k, row));
        w.printf("%-32s %10s %14s %14s %14s%n", "", "--------", "--------", "--------", "--------");
        line(w, "Total", total);
    }

    private static void line(PrintWriter w, String name, Row row) {
        w.printf("%-32s %10d %14d %14d %14d%n", name, row.count, row.recordBytes, row.imageBytes,
                row.recordBytes + row.imageBytes);
    }
}
