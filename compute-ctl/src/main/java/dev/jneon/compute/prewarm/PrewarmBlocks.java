package dev.jneon.compute.prewarm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of buffers a compute had in shared_buffers, in the format of PostgreSQL 15's
 * {@code pg_prewarm} autoprewarm dump file {@code PGDATA/autoprewarm.blocks} (spec D.2). It is also the
 * payload (zstd-compressed) of the {@code lfc_state} object in endpoint storage.
 *
 * <p>Format, version {@value #FORMAT_VERSION} (PostgreSQL 15): ASCII lines ending in {@code \n}.
 * Line 1 is {@code <<N>>}, N the number of entries; then exactly N lines
 * {@code database,tablespace,relfilenode,fork,block}, each field an unsigned 32-bit decimal, fork 0..3.
 * Postgres writes it through {@code autoprewarm.blocks.tmp} and a rename, so a crash leaves either
 * the old or the new file; {@link #parse} refuses anything else (wrong count, extra fields, trailing
 * text), because a file the leader worker cannot read makes it log an error instead of prewarming.
 * Immutable.
 */
public record PrewarmBlocks(List<BlockRef> blocks) {

    /** The file's name in PGDATA. */
    public static final String FILE_NAME = "autoprewarm.blocks";
    /** The only format so far: PostgreSQL 15's. */
    public static final int FORMAT_VERSION = 1;

    public PrewarmBlocks {
        blocks = List.copyOf(blocks);
    }

    public int size() {
        return blocks.size();
    }

    /**
     * The entries of the main and init forks only. Postgres reads free space and visibility map pages
     * with zero-on-error (a bad checksum there costs a WARNING), but the autoprewarm worker and
     * {@code pg_prewarm()} read every page strictly, and one bad page ends a database's whole
     * prewarm: the map forks are left out of what is loaded.
     */
    public PrewarmBlocks loadable() {
        return new PrewarmBlocks(blocks.stream().filter(b -> b.fork() == 0 || b.fork() == 3).toList());
    }

    /** Parses the file text; a defect is an {@link IllegalArgumentException} naming the line. */
    public static PrewarmBlocks parse(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        int end = s.indexOf('\n');
        if (end < 0 || !s.startsWith("<<") || !s.substring(0, end).endsWith(">>")) {
            throw new IllegalArgumentException("line 1: expected <<N>>");
        }
        int count = unsigned(s.substring(2, end - 2), 1);
        if (count < 0) {
            throw new IllegalArgumentException("line 1: too many entries");
        }
        List<BlockRef> blocks = new ArrayList<>(Math.min(count, 1 << 20));
        int pos = end + 1;
        for (int i = 0; i < count; i++) {
            int lineNo = i + 2;
            int next = s.indexOf('\n', pos);
            if (next < 0) {
                throw new IllegalArgumentException("line " + lineNo + ": missing (header says " + count + " entries)");
            }
            String[] f = s.substring(pos, next).split(",", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("line " + lineNo + ": expected 5 comma-separated fields");
            }
            int fork = unsigned(f[3], lineNo);
            if (fork < 0 || fork > 3) {
                throw new IllegalArgumentException("line " + lineNo + ": fork must be 0..3, got " + f[3]);
            }
            blocks.add(new BlockRef(unsigned(f[0], lineNo), unsigned(f[1], lineNo), unsigned(f[2], lineNo), fork,
                    unsigned(f[4], lineNo)));
            pos = next + 1;
        }
        if (pos != s.length()) {
            throw new IllegalArgumentException("line " + (count + 2) + ": text after the " + count + " entries");
        }
        return new PrewarmBlocks(blocks);
    }

    /** The file text, as Postgres writes it. */
    public byte[] format() {
        var out = new StringBuilder(16 + blocks.size() * 24).append("<<").append(blocks.size()).append(">>\n");
        for (BlockRef b : blocks) {
            out.append(b.line()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int unsigned(String field, int lineNo) {
        if (field.isEmpty() || field.length() > 10 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("line " + lineNo + ": '" + field + "' is not an unsigned number");
        }
        long v = Long.parseLong(field);
        if (v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("line " + lineNo + ": " + field + " does not fit 32 bits");
        }
        return (int) v;
    }
}
