package dev.jneon.common.wal;

import dev.jneon.common.id.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** pg_waldump 15's {@code -b} output, parsed into one entry per record with its block references. */
record PgWaldumpListing(List<Entry> entries) {

    record Block(int id, String rel, String fork, long blk, boolean hasImage, boolean apply, int holeOffset,
            int holeLength, int compressionSaved, String method) {}

    record Entry(String rmgr, int recLen, int totLen, long xid, Lsn lsn, Lsn prev, String identify, String desc,
            String line, List<Block> blocks) {}

    private static final Pattern RECORD = Pattern.compile(
            "rmgr: (\\S+)\\s+len \\(rec/tot\\):\\s+(\\d+)/\\s*(\\d+), tx:\\s+(\\d+), lsn: ([0-9A-F]+/[0-9A-F]+),"
                    + " prev ([0-9A-F]+/[0-9A-F]+), desc: (\\S+(?: \\(\\w+\\))?) ?(.*)");
    private static final Pattern BLOCK = Pattern.compile(
            "\\tblkref #(\\d+): rel (\\d+/\\d+/\\d+) fork (\\w+) blk (\\d+)(?: \\(FPW( for WAL verification)?\\);"
                    + " hole: offset: (\\d+), length: (\\d+)(?:, compression saved: (\\d+), method: (\\w+))?)?");

    static PgWaldumpListing parse(String output) {
        List<Entry> entries = new ArrayList<>();
        Entry current = null;
        List<Block> blocks = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("rmgr: ")) {
                if (current != null) {
                    entries.add(withBlocks(current, blocks));
                }
                Matcher m = RECORD.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException("unparsed pg_waldump line: " + line);
                }
                current = new Entry(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Long.parseLong(m.group(4)), Lsn.parse(m.group(5)), Lsn.parse(m.group(6)), m.group(7),
                        m.group(8).stripTrailing(), line.stripTrailing(), List.of());
                blocks = new ArrayList<>();
            } else if (line.startsWith("\tblkref")) {
                Matcher m = BLOCK.matcher(line.stripTrailing());
                if (!m.matches() || blocks == null) {
                    throw new IllegalArgumentException("unparsed pg_waldump block line: " + line);
                }
                boolean image = m.group(6) != null;
                blocks.add(new Block(Integer.parseInt(m.group(1)), m.group(2), m.group(3), Long.parseLong(m.group(4)),
                        image, image && m.group(5) == null, image ? Integer.parseInt(m.group(6)) : 0,
                        image ? Integer.parseInt(m.group(7)) : 0, m.group(8) != null ? Integer.parseInt(m.group(8)) : 0,
                        m.group(9)));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("unexpected pg_waldump line: " + line);
            }
        }
        if (current != null) {
            entries.add(withBlocks(current, blocks));
        }
        return new PgWaldumpListing(List.copyOf(entries));
    }

    private static Entry withBlocks(Entry e, List<Block> blocks) {
        return new Entry(e.rmgr(), e.recLen(), e.totLen(), e.xid(), e.lsn(), e.prev(), e.identify(), e.desc(), e.line(),
                List.copyOf(blocks));
    }
}
