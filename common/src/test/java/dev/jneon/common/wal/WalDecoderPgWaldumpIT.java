package dev.jneon.common.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.wal.cli.WalCat;
import dev.jneon.common.wal.record.DbaseBody;
import dev.jneon.common.wal.record.MultiXactBody;
import dev.jneon.common.wal.record.RecordBody;
import dev.jneon.common.wal.record.RelMapBody;
import dev.jneon.common.wal.record.SmgrBody;
import dev.jneon.common.wal.record.StandbyBody;
import dev.jneon.common.wal.record.XactBody;
import dev.jneon.common.wal.record.XlogBody;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL 15 WAL (data checksums, wal_consistency_checking=all, one workload per
 * wal_compression method: lz4, pglz, zstd, off) decoded by {@link WalDecoder} and by pg_waldump
 * {@code -b}, compared record for record. A restart after the first workload adds a shutdown
 * checkpoint and a parameter change.
 */
class WalDecoderPgWaldumpIT {

    private static final List<String> METHODS = List.of("lz4", "pglz", "zstd", "off");

    private static Path base;
    private static PgCluster cluster;
    private static Path pgWal;
    private static Lsn start;
    private static Lsn end;
    private static List<WalRecord> decoded;
    private static PgWaldumpListing listing;

    @BeforeAll
    static void makeWal() throws Exception {
        base = Files.createTempDirectory("jneon-walread-it");
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        cluster = new PgCluster(binaries, base.resolve("data"));
        cluster.initdb(List.of("--data-checksums"));
        cluster.configure(Map.of("wal_consistency_checking", "'all'", "wal_compression", "lz4", "wal_level", "replica",
                "fsync", "off", "max_prepared_transactions", "10", "wal_keep_size", "'4GB'", "max_wal_size", "'4GB'",
                "checkpoint_timeout", "'1h'", "autovacuum", "off"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cluster.start(port);
        start = Lsn.parse(cluster.psql("postgres", "select pg_current_wal_insert_lsn()"));
        for (String method : METHODS) {
            new WalWorkload(cluster.jdbcUrl("postgres"), method).run(3000);
            if (method.equals(METHODS.getFirst())) {
                // a restart with another max_connections logs CHECKPOINT_SHUTDOWN and PARAMETER_CHANGE
                cluster.stop("fast");
                cluster.configure(Map.of("max_connections", "90"));
                cluster.start(port);
            }
        }
        end = Lsn.parse(cluster.psql("postgres", "select pg_current_wal_insert_lsn()"));
        cluster.stop("fast");
        pgWal = cluster.dataDir().resolve("pg_wal");

        decoded = new ArrayList<>();
        SegmentDirectory.Outcome outcome = new SegmentDirectory(pgWal, Lsn.DEFAULT_SEGMENT_SIZE)
                .decode(start, end, decoded::add);
        assertThat(outcome.error()).isNull();
        listing = pgWaldump(start, end);
    }

    @AfterAll
    static void cleanup() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyRecordMatchesPgWaldump() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int n = Math.min(decoded.size(), listing.entries().size());
        for (int i = 0; i < n && mismatches.size() < 20; i++) {
            PgWaldumpComparison.compare(decoded.get(i), listing.entries().get(i), mismatches);
        }
        assertThat(mismatches).isEmpty();
        assertThat(decoded).hasSameSizeAs(listing.entries());
        assertThat(decoded.size()).isGreaterThan(20_000);
        System.out.printf("WalDecoderPgWaldumpIT: %d records, %d block references, %d images, %s..%s (%d MB)%n",
                decoded.size(), decoded.stream().mapToInt(r -> r.blocks().size()).sum(),
                decoded.stream().flatMap(r -> r.blocks().stream()).filter(BlockReference::hasImage).count(), start,
                end, end.minus(start) >> 20);
    }

    @Test
    void walcatPrintsWhatPgWaldumpPrints() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int rc = WalCat.run(new String[] {pgWal.toString(), "-b"}, new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true));
        assertThat(rc).as(err.toString()).isZero();
        assertThat(err.toString()).contains("end of WAL");
        PgWaldumpListing walcat = PgWaldumpListing.parse(out.toString());
        List<PgWaldumpListing.Entry> inRange = walcat.entries().stream()
                .filter(e -> !e.lsn().isBefore(start) && e.lsn().isBefore(end)).toList();
        assertThat(inRange).hasSameSizeAs(listing.entries());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < inRange.size() && mismatches.size() < 20; i++) {
            PgWaldumpListing.Entry mine = inRange.get(i);
            PgWaldumpListing.Entry theirs = listing.entries().get(i);
            boolean typed = Set.of("XLOG", "Transaction", "Storage", "CLOG", "Database", "MultiXact", "RelMap")
                    .contains(theirs.rmgr()) || theirs.identify().equals("RUNNING_XACTS");
            if (!mine.blocks().equals(theirs.blocks()) || (typed ? !mine.line().equals(theirs.line())
                    : !mine.line().startsWith(theirs.line().substring(0, theirs.line().indexOf("desc: ")))
                            || !mine.identify().equals(theirs.identify()))) {
                mismatches.add(mine.line() + "\n vs " + theirs.line());
            }
        }
        assertThat(mismatches).isEmpty();

        var stats = new java.io.ByteArrayOutputStream();
        assertThat(WalCat.run(new String[] {pgWal.toString(), "--stats"}, new java.io.PrintStream(stats, true),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true))).isZero();
        String total = stats.toString().lines().filter(l -> l.startsWith("Total ")).findFirst().orElseThrow();
        assertThat(total.split("\\s+")[1]).isEqualTo(Integer.toString(walcat.entries().size()));
    }

    @Test
    void recordsSpanSegmentBoundaries() {
        long spanning = decoded.stream()
                .filter(r -> r.lsn().segmentNumber(Lsn.DEFAULT_SEGMENT_SIZE)
                        != r.endLsn().plus(-1).segmentNumber(Lsn.DEFAULT_SEGMENT_SIZE))
                .count();
        assertThat(spanning).isGreaterThanOrEqualTo(1);
    }

    @Test
    void decodingFromASegmentStartSkipsTheLeadingContinuationAsPgWaldumpDoes() throws Exception {
        Lsn segmentStart = Lsn.of((start.segmentNumber(Lsn.DEFAULT_SEGMENT_SIZE) + 2) * Lsn.DEFAULT_SEGMENT_SIZE);
        assertThat(segmentStart).isLessThan(end);
        List<WalRecord> mine = new ArrayList<>();
        SegmentDirectory.Outcome outcome = new SegmentDirectory(pgWal, Lsn.DEFAULT_SEGMENT_SIZE)
                .decode(segmentStart, end, mine::add);
        assertThat(outcome.error()).isNull();
        PgWaldumpListing theirs = pgWaldump(segmentStart, end);
        assertThat(mine).hasSameSizeAs(theirs.entries());
        assertThat(mine.getFirst().lsn()).isEqualTo(theirs.entries().getFirst().lsn());
        assertThat(mine.getFirst().lsn()).isGreaterThan(segmentStart.plus(WalFormat.LONG_PAGE_HEADER_SIZE));
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < mine.size() && mismatches.size() < 20; i++) {
            PgWaldumpComparison.compare(mine.get(i), theirs.entries().get(i), mismatches);
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void imagesOfEveryCompressionMethodRestoreToValidPages() throws Exception {
        Map<ImageCompression, Integer> restored = new EnumMap<>(ImageCompression.class);
        int checked = 0;
        for (WalRecord r : decoded) {
            for (BlockReference b : r.blocks()) {
                if (!b.hasImage()) {
                    continue;
                }
                byte[] page = b.image().restoreWithLsn(r.endLsn());
                assertThat(saneHeader(page)).as("page of %s blk %d in record at %s", b.rel(), b.blockNumber(), r.lsn())
                        .isTrue();
                restored.merge(b.image().compression(), 1, Integer::sum);
                checked++;
            }
        }
        assertThat(restored.keySet()).containsExactlyInAnyOrder(ImageCompression.values());
        System.out.println("WalDecoderPgWaldumpIT: restored " + checked + " images " + restored);
    }

    /**
     * The last image of each block, with pd_lsn set to its record's end and a fresh checksum, is
     * the page the cluster left on disk after its clean shutdown: same pd_lsn, and byte-identical
     * (checksum included) unless hint bits changed later or the hole held garbage on disk.
     */
    @Test
    void lastImagesMatchThePagesOnDisk() throws Exception {
        Map<dev.jneon.common.pg.RelTag, Map<Integer, BlockImage>> last = new LinkedHashMap<>();
        Map<BlockImage, Lsn> ends = new java.util.IdentityHashMap<>();
        for (WalRecord r : decoded) {
            for (BlockReference b : r.blocks()) {
                if (b.hasImage()) {
                    last.computeIfAbsent(b.rel(), k -> new LinkedHashMap<>()).put(b.blockNumber(), b.image());
                    ends.put(b.image(), r.endLsn());
                }
            }
        }
        int compared = 0;
        int sameLsn = 0;
        int identical = 0;
        int identicalOutsideHole = 0;
        for (var rel : last.entrySet()) {
            Path file = cluster.dataDir().resolve(dev.jneon.common.wal.record.RelPaths.path(rel.getKey()));
            for (var blk : rel.getValue().entrySet()) {
                BlockImage image = blk.getValue();
                byte[] mine = image.restoreWithLsn(ends.get(image));
                byte[] disk = readPage(file, blk.getKey());
                if (disk == null || (mine[14] == 0 && mine[15] == 0)) {
                    continue;
                }
                int checksum = PageChecksum.compute(mine, blk.getKey());
                mine[8] = (byte) checksum;
                mine[9] = (byte) (checksum >>> 8);
                compared++;
                if (java.util.Arrays.equals(mine, 0, 8, disk, 0, 8)) {
                    sameLsn++;
                }
                if (java.util.Arrays.equals(mine, disk)) {
                    identical++;
                }
                int holeStart = image.holeLength() == 0 ? 8192 : image.holeOffset();
                int holeEnd = holeStart + image.holeLength();
                if (java.util.Arrays.equals(mine, 0, 8, disk, 0, 8)
                        && java.util.Arrays.equals(mine, 10, holeStart, disk, 10, holeStart)
                        && java.util.Arrays.equals(mine, Math.min(holeEnd, 8192), 8192, disk, Math.min(holeEnd, 8192), 8192)) {
                    identicalOutsideHole++;
                }
            }
        }
        System.out.printf("WalDecoderPgWaldumpIT: %d last images vs disk: %d same pd_lsn, %d identical outside the"
                + " hole and checksum, %d byte-identical with the recomputed checksum%n", compared, sameLsn,
                identicalOutsideHole, identical);
        assertThat(compared).isGreaterThan(200);
        assertThat(sameLsn).isGreaterThan(compared * 9 / 10);
        assertThat(identicalOutsideHole).isGreaterThan(compared * 3 / 4);
        assertThat(identical).isGreaterThan(compared / 4);
    }

    private static byte[] readPage(Path relFile, int blockNumber) throws IOException {
        long blk = Integer.toUnsignedLong(blockNumber);
        long segment = blk / 131072;
        Path file = segment == 0 ? relFile : relFile.resolveSibling(relFile.getFileName() + "." + segment);
        if (!Files.exists(file)) {
            return null;
        }
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            long offset = (blk % 131072) * 8192;
            if (ch.size() < offset + 8192) {
                return null;
            }
            ByteBuffer page = ByteBuffer.allocate(8192);
            while (page.hasRemaining() && ch.read(page, offset + page.position()) > 0) {
                // read the whole page
            }
            return page.array();
        }
    }

    @Test
    void typedParsersSeeEveryRecordKindOfTheWorkload() throws Exception {
        Set<Class<?>> seen = new HashSet<>();
        Map<String, Integer> kinds = new LinkedHashMap<>();
        boolean subxactCommit = false;
        for (WalRecord r : decoded) {
            RecordBody body = RecordBody.of(r);
            seen.add(body.getClass());
            kinds.merge(body.getClass().getSimpleName(), 1, Integer::sum);
            if (body instanceof XactBody.Commit c && !c.details().subxacts().isEmpty()) {
                subxactCommit = true;
            }
        }
        assertThat(seen).contains(XlogBody.Checkpoint.class, XlogBody.NextOid.class, XlogBody.FullPageImages.class,
                XlogBody.ParameterChange.class, XactBody.Assignment.class,
                XactBody.Commit.class, XactBody.Abort.class, XactBody.Prepare.class, SmgrBody.Create.class,
                SmgrBody.Truncate.class, DbaseBody.CreateFileCopy.class, DbaseBody.CreateWalLog.class,
                DbaseBody.Drop.class, MultiXactBody.Create.class, RelMapBody.Update.class,
                StandbyBody.RunningXacts.class);
        assertThat(subxactCommit).isTrue();
        assertThat(decoded.stream().anyMatch(r -> r.rmgr() == ResourceManager.SEQUENCE)).isTrue();
        System.out.println("WalDecoderPgWaldumpIT: typed bodies " + kinds);
    }

    /** A new (all-zero) page, or lower/upper/special in order with the PG15 page layout version. */
    static boolean saneHeader(byte[] page) {
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int lower = b.getShort(12) & 0xFFFF;
        int upper = b.getShort(14) & 0xFFFF;
        int special = b.getShort(16) & 0xFFFF;
        int version = b.getShort(18) & 0xFFFF;
        if (upper == 0) {
            for (byte x : page) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }
        return version == 0x2004 && lower >= 24 && lower <= upper && upper <= special && special <= 8192
                && (special & 7) == 0;
    }

    private static PgWaldumpListing pgWaldump(Lsn from, Lsn to) throws Exception {
        Path out = base.resolve("pg_waldump-" + from.toHex16() + ".txt");
        Path err = base.resolve("pg_waldump-" + from.toHex16() + ".err");
        Process p = new ProcessBuilder(cluster.binaries().tool("pg_waldump").toString(), "-b", "-p", pgWal.toString(),
                "-s", from.toString(), "-e", to.toString()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        int rc = p.waitFor();
        assertThat(rc).as("pg_waldump: %s", Files.readString(err)).isZero();
        return PgWaldumpListing.parse(Files.readString(out));
    }
}
