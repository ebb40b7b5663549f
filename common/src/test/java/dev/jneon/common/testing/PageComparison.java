package dev.jneon.common.testing;

import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The page oracle's comparison: every page of every relation fork except FSM in a stopped (or
 * checkpointed) PostgreSQL data directory against the same page read from a pageserver
 * ({@link PageSource}), equal byte for byte or after {@link PageMask}; every fork's size equal.
 * Only the first segment file of a fork is read (test relations stay below 1 GiB). Not
 * thread-safe: one comparison, filled by {@link #of}.
 */
public final class PageComparison {

    private static final Pattern REL_FILE = Pattern.compile("(\\d+)(?:_(fsm|vm|init))?");
    private static final int PAGE = 8192;

    /** Where the pages under test come from. */
    public interface PageSource {
        boolean exists(RelTag rel) throws Exception;

        /** The fork's size in blocks. */
        int blocks(RelTag rel) throws Exception;

        /** Blocks {@code [0, count)} of the fork, in order. */
        List<byte[]> pages(RelTag rel, int count) throws Exception;
    }

    /** A page that differs after masking, and which kind of page the mask took it for. */
    public record Mismatch(RelTag rel, int block, String kind) {}

    private int pages;
    private int identical;
    private int sizes;
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final List<String> sizeMismatches = new ArrayList<>();

    private PageComparison() {}

    /** Compares every relation fork of {@code pgdata} (global and base/*) with {@code source}. */
    public static PageComparison of(Path pgdata, PageSource source) throws Exception {
        PageComparison c = new PageComparison();
        List<Path> dbDirs;
        try (Stream<Path> base = Files.list(pgdata.resolve("base"))) {
            dbDirs = Stream.concat(Stream.of(pgdata.resolve("global")),
                    base.filter(d -> d.getFileName().toString().matches("\\d+"))).toList();
        }
        for (Path dir : dbDirs) {
            DbTag db = dir.getFileName().toString().equals("global") ? DbTag.GLOBAL
                    : new DbTag(RelTag.DEFAULT_TABLESPACE, Integer.parseUnsignedInt(dir.getFileName().toString()));
            for (Path file : list(dir)) {
                Matcher m = REL_FILE.matcher(file.getFileName().toString());
                if (m.matches() && !"fsm".equals(m.group(2))) {
                    ForkNumber fork = m.group(2) == null ? ForkNumber.MAIN
                            : m.group(2).equals("vm") ? ForkNumber.VISIBILITY_MAP : ForkNumber.INIT;
                    c.compareFork(db.rel(Integer.parseUnsignedInt(m.group(1)), fork), Files.readAllBytes(file), source);
                }
            }
        }
        return c;
    }

    private void compareFork(RelTag rel, byte[] bytes, PageSource source) throws Exception {
        int blocks = bytes.length / PAGE;
        sizes++;
        if (!source.exists(rel)) {
            sizeMismatches.add(rel + " missing (" + blocks + " blocks in Postgres)");
            return;
        }
        int stored = source.blocks(rel);
        if (stored != blocks) {
            sizeMismatches.add(rel + " " + stored + " blocks, Postgres " + blocks);
        }
        int n = Math.min(blocks, stored);
        List<byte[]> actual = source.pages(rel, n);
        boolean main = rel.fork() == ForkNumber.MAIN;
        for (int b = 0; b < n; b++) {
            byte[] expected = Arrays.copyOfRange(bytes, b * PAGE, (b + 1) * PAGE);
            pages++;
            if (Arrays.equals(expected, actual.get(b))) {
                identical++;
            } else if (!Arrays.equals(PageMask.mask(expected, main), PageMask.mask(actual.get(b), main))) {
                mismatches.add(new Mismatch(rel, b, PageMask.kind(expected)));
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    public int pages() {
        return pages;
    }

    public int identical() {
        return identical;
    }

    public int sizes() {
        return sizes;
    }

    public List<Mismatch> mismatches() {
        return List.copyOf(mismatches);
    }

    public List<String> sizeMismatches() {
        return List.copyOf(sizeMismatches);
    }

    /** Mismatches counted by fork and page kind. */
    public Map<String, Integer> mismatchKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Mismatch m : mismatches) {
            kinds.merge(m.rel().fork() + "/" + m.kind(), 1, Integer::sum);
        }
        return kinds;
    }

    /** One line for the test output. */
    public String summary() {
        return String.format("%d pages compared, %d byte-identical, %d equal after masking, %d differ %s; "
                + "%d relation sizes compared, %d differ %s", pages, identical, pages - mismatches.size(),
                mismatches.size(), mismatchKinds(), sizes, sizeMismatches.size(), sizeMismatches);
    }
}
