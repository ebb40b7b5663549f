package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.key.TwoPhaseDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.SlruPage;
import dev.jneon.common.testing.PageMask;
import dev.jneon.pageserver.timeline.Timeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Compares what a timeline holds at an LSN with a stopped PostgreSQL data directory: every page of
 * every relation fork except FSM (after {@link PageMask}), every relation size, the set of
 * databases and of relations both ways, the SLRU pages of pg_xact and pg_multixact (first 8192
 * bytes of the stored page) and segment sizes, and pg_twophase files (stored blob = file without
 * its 4-byte CRC). Relations of unlogged tables (those with an init fork) are compared by their
 * init fork only: their other forks are not WAL-logged. A visibility-map page may hold fewer bits
 * than PostgreSQL's ({@link #vmSubsets} counts them) but never a bit PostgreSQL does not have: CREATE
 * DATABASE STRATEGY WAL_LOG logs VM pages as standard-layout images whose "hole" is the whole map
 * (verified with pg_waldump: a 73-byte FPI of {@code 1247_vm}), so PostgreSQL's own redo also ends
 * with an empty map there; a missing all-visible bit only costs an index-only scan a heap visit.
 * Not thread-safe; one comparison per instance.
 */
final class PageOracle {

    private static final Pattern REL_FILE = Pattern.compile("(\\d+)(?:_(fsm|vm|init))?");

    record Mismatch(String where, String kind) {}

    int pages;
    int identical;
    int sizes;
    int slruPages;
    int twoPhaseFiles;
    int vmSubsets;
    final Map<DbTag, Integer> vmSubsetsByDb = new TreeMap<>();
    final List<Mismatch> mismatches = new ArrayList<>();
    final List<String> structural = new ArrayList<>();

    Map<String, Integer> mismatchKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Mismatch m : mismatches) {
            kinds.merge(m.kind, 1, Integer::sum);
        }
        return kinds;
    }

    String summary() {
        return String.format("%d pages compared, %d byte-identical, %d differ %s; %d relation sizes; %d SLRU pages; "
                        + "%d two-phase files; %d VM pages with a subset of Postgres's bits %s; %d structural differences %s",
                pages, identical, mismatches.size(), mismatchKinds(), sizes, slruPages, twoPhaseFiles, vmSubsets,
                vmSubsetsByDb, structural.size(), structural);
    }

    static PageOracle compare(Timeline t, Path pgdata, Lsn lsn) throws IOException {
        PageOracle c = new PageOracle();
        c.relations(t, pgdata, lsn);
        for (SlruKind kind : SlruKind.values()) {
            c.slru(t, pgdata, lsn, kind);
        }
        c.twoPhase(t, pgdata, lsn);
        return c;
    }

    private void relations(Timeline t, Path pgdata, Lsn lsn) throws IOException {
        List<Path> dbDirs;
        try (Stream<Path> base = Files.list(pgdata.resolve("base"))) {
            dbDirs = Stream.concat(Stream.of(pgdata.resolve("global")),
                    base.filter(d -> d.getFileName().toString().matches("\\d+"))).toList();
        }
        DbDirectory stored = DbDirectory.decode(t.get(Key.DB_DIR, lsn));
        Set<DbTag> inPostgres = new HashSet<>();
        for (Path dir : dbDirs) {
            DbTag db = dir.getFileName().toString().equals("global") ? DbTag.GLOBAL
                    : new DbTag(RelTag.DEFAULT_TABLESPACE, Integer.parseInt(dir.getFileName().toString()));
            inPostgres.add(db);
            if (!stored.contains(db)) {
                structural.add("database " + db + " missing");
                continue;
            }
            database(t, db, dir, lsn);
        }
        for (DbTag db : stored.databases().keySet()) {
            if (!inPostgres.contains(db)) {
                structural.add("database " + db + " not in Postgres");
            }
        }
    }

    private void database(Timeline t, DbTag db, Path dir, Lsn lsn) throws IOException {
        RelDirectory rels = RelDirectory.decode(t.get(Key.relDir(db), lsn));
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        Set<String> names = new HashSet<>();
        files.forEach(f -> names.add(f.getFileName().toString()));
        Set<RelDirectory.Entry> seen = new HashSet<>();
        for (Path file : files) {
            Matcher m = REL_FILE.matcher(file.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            ForkNumber fork = m.group(2) == null ? ForkNumber.MAIN : switch (m.group(2)) {
                case "vm" -> ForkNumber.VISIBILITY_MAP;
                case "fsm" -> ForkNumber.FSM;
                default -> ForkNumber.INIT;
            };
            int relNode = Integer.parseUnsignedInt(m.group(1));
            seen.add(new RelDirectory.Entry(relNode, fork));
            boolean unlogged = names.contains(m.group(1) + "_init");
            if (fork == ForkNumber.FSM || unlogged && fork != ForkNumber.INIT) {
                continue;
            }
            relation(t, db.rel(relNode, fork), Files.readAllBytes(file), rels, lsn);
        }
        for (RelDirectory.Entry e : rels.rels()) {
            if (e.fork() != ForkNumber.FSM && !seen.contains(e)) {
                structural.add(db.rel(e.relNode(), e.fork()) + " not in Postgres");
            }
        }
    }

    private void relation(Timeline t, RelTag rel, byte[] bytes, RelDirectory rels, Lsn lsn) {
        int blocks = bytes.length / SlruPage.SIZE;
        sizes++;
        if (!rels.contains(rel.relNode(), rel.fork())) {
            structural.add(rel + " missing (" + blocks + " blocks in Postgres)");
            return;
        }
        int stored = u32le(t.get(Key.relSize(rel), lsn));
        if (stored != blocks) {
            structural.add(rel + " " + stored + " blocks, Postgres " + blocks);
        }
        boolean main = rel.fork() == ForkNumber.MAIN;
        for (int b = 0; b < Math.min(blocks, stored); b++) {
            byte[] expected = Arrays.copyOfRange(bytes, b * SlruPage.SIZE, (b + 1) * SlruPage.SIZE);
            byte[] actual = t.get(Key.relBlock(rel, b), lsn);
            pages++;
            if (Arrays.equals(expected, actual)) {
                identical++;
            } else if (Arrays.equals(PageMask.mask(expected, main), PageMask.mask(actual, main))) {
                continue;
            } else if (rel.fork() == ForkNumber.VISIBILITY_MAP && mapIsSubset(actual, expected)) {
                vmSubsets++;
                vmSubsetsByDb.merge(rel.db(), 1, Integer::sum);
            } else {
                mismatches.add(new Mismatch(rel + " block " + b, rel.fork() + "/" + PageMask.kind(expected)));
            }
        }
    }

    private void slru(Timeline t, Path pgdata, Lsn lsn, SlruKind kind) throws IOException {
        SlruSegmentDirectory dir = SlruSegmentDirectory.decode(t.get(Key.slruDir(kind), lsn));
        List<Path> files;
        try (Stream<Path> list = Files.list(pgdata.resolve(kind.directory()))) {
            files = list.sorted().toList();
        }
        for (Path file : files) {
            int segment = (int) SlruPage.parseSegmentFileName(file.getFileName().toString());
            byte[] bytes = Files.readAllBytes(file);
            int blocks = bytes.length / SlruPage.SIZE;
            if (!dir.contains(segment)) {
                structural.add(kind + " segment " + file.getFileName() + " missing");
                continue;
            }
            int stored = u32le(t.get(Key.slruSegSize(kind, segment), lsn));
            if (stored != blocks) {
                structural.add(kind + " segment " + file.getFileName() + " " + stored + " pages, Postgres " + blocks);
            }
            for (int b = 0; b < Math.min(blocks, stored); b++) {
                byte[] actual = Arrays.copyOf(t.get(Key.slruBlock(kind, segment, b), lsn), SlruPage.SIZE);
                slruPages++;
                if (!Arrays.equals(Arrays.copyOfRange(bytes, b * SlruPage.SIZE, (b + 1) * SlruPage.SIZE), actual)) {
                    mismatches.add(new Mismatch(kind + " segment " + file.getFileName() + " page " + b, kind.name()));
                }
            }
        }
        for (int segment : dir.segments()) {
            if (!Files.exists(pgdata.resolve(kind.directory()).resolve(SlruPage.segmentFileName(segment)))) {
                structural.add(kind + " segment " + SlruPage.segmentFileName(segment) + " not in Postgres");
            }
        }
    }

    private void twoPhase(Timeline t, Path pgdata, Lsn lsn) throws IOException {
        TwoPhaseDirectory dir = TwoPhaseDirectory.decode(t.get(Key.TWO_PHASE_DIR, lsn), t.pgVersion());
        Set<Long> inPostgres = new HashSet<>();
        try (Stream<Path> list = Files.list(pgdata.resolve("pg_twophase"))) {
            for (Path file : list.toList()) {
                long xid = Long.parseLong(file.getFileName().toString(), 16);
                inPostgres.add(xid);
                twoPhaseFiles++;
                byte[] bytes = Files.readAllBytes(file);
                if (!dir.contains(xid)) {
                    structural.add("two-phase state of xid " + xid + " missing");
                } else if (!Arrays.equals(Arrays.copyOf(bytes, bytes.length - 4), t.get(Key.twoPhaseFile(xid), lsn))) {
                    mismatches.add(new Mismatch("two-phase state of xid " + xid, "twophase"));
                }
            }
        }
        for (long xid : dir.xids()) {
            if (!inPostgres.contains(xid)) {
                structural.add("two-phase state of xid " + xid + " not in Postgres");
            }
        }
    }

    /** Whether every map bit of {@code actual} (bytes 24..8191) is also set in {@code expected}. */
    private static boolean mapIsSubset(byte[] actual, byte[] expected) {
        for (int i = 24; i < SlruPage.SIZE; i++) {
            if ((actual[i] & ~expected[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    static int u32le(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }
}
