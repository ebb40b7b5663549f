package dev.jneon.common.wal.cli;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.SegmentDirectory;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import dev.jneon.common.wal.record.RecordBody;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code walcat PATH [--stats] [-b|--bkp-details]}: prints the WAL records in a pg_wal directory
 * (from its oldest segment on, through consecutive segments) or in one segment file, one line per
 * record as pg_waldump prints them, or with {@code --stats} counts and sizes per rmgr and record
 * type. The end of the written WAL (a zeroed or recycled page) ends the listing normally with a
 * note on stderr; any other decode error is reported and the exit status is 1.
 */
public final class WalCat {

    private WalCat() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs walcat with {@code args}, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path path = null;
        boolean stats = false;
        boolean bkpDetails = false;
        for (String a : args) {
            switch (a) {
                case "--stats" -> stats = true;
                case "-b", "--bkp-details" -> bkpDetails = true;
                default -> {
                    if (a.startsWith("-") || path != null) {
                        err.println("usage: walcat PATH [--stats] [-b|--bkp-details]  (PATH: pg_wal directory or segment file)");
                        return 2;
                    }
                    path = Path.of(a);
                }
            }
        }
        if (path == null) {
            err.println("usage: walcat PATH [--stats] [-b|--bkp-details]  (PATH: pg_wal directory or segment file)");
            return 2;
        }
        try {
            return cat(path, stats, bkpDetails, out, err);
        } catch (IOException e) {
            err.println("walcat: " + e.getMessage());
            return 1;
        }
    }

    private static int cat(Path path, boolean stats, boolean bkpDetails, PrintStream out, PrintStream err)
            throws IOException {
        Path first = Files.isDirectory(path) ? oldestSegment(path) : path;
        if (first == null) {
            err.println("walcat: no WAL segment files in " + path);
            return 1;
        }
        int segmentSize = SegmentDirectory.segmentSizeOf(first);
        long segno = SegmentDirectory.segmentNumberOf(first.getFileName().toString(), segmentSize);
        if (segno < 0) {
            err.println("walcat: " + first.getFileName() + " is not a WAL segment file name");
            return 1;
        }
        Lsn start = Lsn.of(segno * segmentSize);
        Lsn end = Files.isDirectory(path) ? Lsn.MAX : Lsn.of((segno + 1) * segmentSize);
        SegmentDirectory dir = new SegmentDirectory(first.toAbsolutePath().getParent(), segmentSize);
        WalStats counts = new WalStats();
        PrintWriter w = new PrintWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
        SegmentDirectory.Outcome outcome = dir.decode(start, end, r -> {
            RecordBody body = RecordBody.of(r);
            if (stats) {
                counts.add(r);
            } else {
                w.println(RecordLine.format(r, body, bkpDetails));
            }
        });
        if (stats) {
            counts.print(w);
        }
        w.flush();
        WalDecodeException e = outcome.error();
        if (e == null) {
            return 0;
        }
        if (e.kind() == WalDecodeException.Kind.END_OF_WAL) {
            err.println("walcat: end of WAL at " + e.lsn() + " (" + e.getMessage() + ")");
            return 0;
        }
        err.println("walcat: error in WAL: " + e.getMessage());
        return 1;
    }

    /** One record as {@code walcat} prints it (pg_waldump's format; {@code bkpDetails} as its {@code -b}). */
    public static String format(WalRecord record, boolean bkpDetails) throws WalDecodeException {
        return RecordLine.format(record, RecordBody.of(record), bkpDetails);
    }

    private static Path oldestSegment(Path dir) throws IOException {
        List<Path> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}") && Files.isRegularFile(p))
                    .forEach(names::add);
        }
        return names.stream().min((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                .orElse(null);
    }
}
