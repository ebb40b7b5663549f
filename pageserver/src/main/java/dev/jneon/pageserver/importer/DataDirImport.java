package dev.jneon.pageserver.importer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.key.TwoPhaseDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.file.RelMapFile;
import dev.jneon.common.pg.file.SlruPage;
import dev.jneon.pageserver.timeline.TimelineWriter;
import dev.jneon.pageserver.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Imports a cleanly shut down PostgreSQL data directory (initdb output) into a timeline at one LSN
 * (spec F.3 Bootstrap step 2): every page of every relation fork as a RelBlock image with its
 * RelSize (u32 LE), each database's RelMap and RelDir, the DbDir, the SLRUs ({@code pg_xact},
 * {@code pg_multixact/offsets}, {@code pg_multixact/members}) as SlruBlock / SlruSegSize / SlruDir,
 * an empty TwoPhaseDir, {@code global/pg_control} as ControlFile and its checkpoint copy as
 * Checkpoint. Pages are streamed one at a time. Not thread-safe; one import per writer.
 */
public final class DataDirImport {

    /** {@code <relfilenode>[_fsm|_vm|_init][.<segment>]}. */
    private static final Pattern REL_FILE = Pattern.compile("(\\d+)(?:_(fsm|vm|init))?(?:\\.(\\d+))?");
    private static final int PAGE = 8192;
    private static final long BLOCKS_PER_SEGMENT = (1L << 30) / PAGE;

    private final Path pgdata;
    private final TimelineWriter writer;
    private final Lsn lsn;
    private final PgMajorVersion version;

    private DataDirImport(Path pgdata, TimelineWriter writer, Lsn lsn, PgMajorVersion version) {
        this.pgdata = pgdata;
        this.writer = writer;
        this.lsn = lsn;
        this.version = version;
    }

    /** The control file of {@code pgdata}; the import LSN is its checkpoint location, 8-aligned. */
    public static PgControl controlFile(Path pgdata) {
        try {
            return PgControl.parse(Files.readAllBytes(pgdata.resolve("global/pg_control")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pg_control of " + pgdata, e);
        }
    }

    /** Writes everything at {@code lsn} and finishes the write there. */
    public static void importAt(Path pgdata, TimelineWriter writer, Lsn lsn, PgMajorVersion version) {
        try {
            new DataDirImport(pgdata, writer, lsn, version).run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + pgdata, e);
        }
    }

    private void run() throws IOException {
        DbDirectory dbDir = DbDirectory.EMPTY;
        dbDir = importDatabase(pgdata.resolve("global"), DbTag.GLOBAL, dbDir);
        for (Path db : list(pgdata.resolve("base"))) {
            if (!db.getFileName().toString().matches("\\d+")) {
                continue; // pgsql_tmp: temporary files of sorts and hashes, not a database
            }
            dbDir = importDatabase(db, new DbTag(RelTag.DEFAULT_TABLESPACE, Integer.parseUnsignedInt(db.getFileName().toString())), dbDir);
        }
        put(Key.DB_DIR, dbDir.encode());
        importSlru(SlruKind.CLOG);
        importSlru(SlruKind.MULTIXACT_OFFSETS);
        importSlru(SlruKind.MULTIXACT_MEMBERS);
        put(Key.TWO_PHASE_DIR, TwoPhaseDirectory.EMPTY.encode(version));
        byte[] control = Files.readAllBytes(pgdata.resolve("global/pg_control"));
        put(Key.CONTROL_FILE, control);
        put(Key.CHECKPOINT, PgControl.parse(control).checkPointCopy().encode());
        writer.finishWrite(lsn);
    }

    private DbDirectory importDatabase(Path dir, DbTag db, DbDirectory dbDir) throws IOException {
        Path relMap = dir.resolve("pg_filenode.map");
        DbDirectory result = dbDir;
        if (Files.exists(relMap)) {
            byte[] map = Files.readAllBytes(relMap);
            RelMapFile.parse(map); // refuse a corrupt map before storing it
            put(Key.relMap(db), map);
            result = dbDir.with(db, true);
        }
        // rel fork -> segments in order
        TreeMap<RelTag, TreeMap<Integer, Path>> forks = new TreeMap<>();
        for (Path file : list(dir)) {
            Matcher m = REL_FILE.matcher(file.getFileName().toString());
            if (m.matches()) {
                RelTag rel = db.rel(Integer.parseUnsignedInt(m.group(1)), fork(m.group(2)));
                int segment = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
                forks.computeIfAbsent(rel, r -> new TreeMap<>()).put(segment, file);
            }
        }
        RelDirectory relDir = RelDirectory.EMPTY;
        for (var fork : forks.entrySet()) {
            RelTag rel = fork.getKey();
            long blocks = 0;
            for (var segment : fork.getValue().entrySet()) {
                long first = segment.getKey() * BLOCKS_PER_SEGMENT;
                blocks = first + importPages(segment.getValue(), block -> Key.relBlock(rel, (int) (first + block)));
            }
            put(Key.relSize(rel), u32le(blocks));
            relDir = relDir.with(rel.relNode(), rel.fork());
        }
        if (result.contains(db)) {
            put(Key.relDir(db), relDir.encode());
        }
        return result;
    }

    private void importSlru(SlruKind kind) throws IOException {
        SlruSegmentDirectory dir = SlruSegmentDirectory.EMPTY;
        for (Path file : list(pgdata.resolve(kind.directory()))) {
            int segment = (int) SlruPage.parseSegmentFileName(file.getFileName().toString());
            long pages = importPages(file, block -> Key.slruBlock(kind, segment, (int) block));
            put(Key.slruSegSize(kind, segment), u32le(pages));
            dir = dir.with(segment);
        }
        put(Key.slruDir(kind), dir.encode());
    }

    /** Puts each 8 KiB page of {@code file} under {@code keyOf(page number)}; returns the page count. */
    private long importPages(Path file, java.util.function.LongFunction<Key> keyOf) throws IOException {
        long size = Files.size(file);
        if (size % PAGE != 0) {
            throw new IllegalStateException(file + " is " + size + " bytes, not a whole number of pages");
        }
        try (InputStream in = Files.newInputStream(file)) {
            for (long block = 0; block < size / PAGE; block++) {
                put(keyOf.apply(block), in.readNBytes(PAGE));
            }
        }
        return size / PAGE;
    }

    private void put(Key key, byte[] content) {
        writer.put(key, lsn, Value.image(content));
    }

    private static ForkNumber fork(String suffix) {
        if (suffix == null) {
            return ForkNumber.MAIN;
        }
        return switch (suffix) {
            case "fsm" -> ForkNumber.FSM;
            case "vm" -> ForkNumber.VISIBILITY_MAP;
            case "init" -> ForkNumber.INIT;
            default -> throw new IllegalArgumentException("unknown fork suffix " + suffix);
        };
    }

    private static byte[] u32le(long value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
