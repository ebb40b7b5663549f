package dev.jneon.pageserver.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.testing.PageMask;
import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.ChildJvm;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: ingest of at least 1 GiB of real WAL with the heap capped at 512 MiB completes, with
 * the data in layer files. A PostgreSQL 15 cluster (wal_consistency_checking=all, so every heap
 * insert carries a page image; no WAL compression) inserts rows until 1.1 GiB of WAL exist; its
 * initdb state was imported into a timeline first. A child JVM with {@code -Xmx512m} then ingests
 * all of it and checkpoints; afterwards every 97th page of the big table and its size read from the
 * layer files equal Postgres's.
 */
class GigabyteIngestIT {

    private static final long WAL_TARGET = 1100L << 20;
    private static final Pattern FIGURES = Pattern.compile("INGESTED .*walBytes=(\\d+) .*layerBytes=(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void aGigabyteOfWalFitsThroughA512MegabyteHeap() throws Exception {
        Path pgdata = tmp.resolve("pgdata");
        Path timelineDir = tmp.resolve("timeline");
        try (PgCluster pg = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), pgdata)) {
            InitdbTimeline initdb = InitdbTimeline.create(pg, Map.of("wal_consistency_checking", "'all'", "fsync", "off",
                    "synchronous_commit", "off", "autovacuum", "off", "wal_keep_size", "'4GB'", "max_wal_size", "'4GB'",
                    "checkpoint_timeout", "'1h'", "shared_buffers", "'64MB'"), timelineDir, TenantConf.DEFAULTS);
            Timeline imported = initdb.timeline();
            imported.checkpoint();
            imported.shutdown(false);
            Lsn initdbLsn = initdb.initdbLsn();
            TenantShardId tenant = initdb.tenant();
            TimelineId timelineId = imported.timelineId();

            pg.start(InitdbTimeline.freePort());
            pg.psql("postgres", "CREATE TABLE big (a int, b text)");
            long walBytes = 0;
            while (walBytes < WAL_TARGET) {
                pg.psql("postgres", "INSERT INTO big SELECT g, repeat('w', 900) FROM generate_series(1, 100000) g");
                walBytes = Long.parseLong(pg.psql("postgres",
                        "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '" + initdbLsn + "')::bigint"));
            }
            int relNode = Integer.parseInt(pg.psql("postgres", "SELECT pg_relation_filenode('big')"));
            pg.stop("fast");
            System.out.printf("gigabyte ingest: %d MiB of WAL generated%n", walBytes >> 20);

            String output = runChild(pgdata.resolve("pg_wal"), initdb.segmentSize(), timelineDir, tenant, timelineId);
            Matcher m = FIGURES.matcher(output);
            assertThat(m.find()).as(output).isTrue();
            assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(1L << 30);
            assertThat(Long.parseLong(m.group(2))).isGreaterThan(1L << 30);
            assertThat(layerFileBytes(timelineDir)).isGreaterThan(1L << 30);

            Timeline t = TimelineLoader.load(timelineDir, tenant, timelineId, Generation.of(1), null, TenantConf.DEFAULTS,
                    Clock.systemUTC());
            t.activate();
            try {
                assertThat(t.layers().open()).as("nothing left in memory after the child's checkpoint").isNull();
                checkSample(t, pgdata, new DbTag(RelTag.DEFAULT_TABLESPACE, 5).rel(relNode, ForkNumber.MAIN));
            } finally {
                t.shutdown(false);
            }
        }
    }

    private static String runChild(Path pgWal, int segmentSize, Path timelineDir, TenantShardId tenant, TimelineId id)
            throws Exception {
        ChildJvm.Result child = ChildJvm.run("512m", WalIngestRun.class, Duration.ofMinutes(20), pgWal.toString(),
                Integer.toString(segmentSize), timelineDir.toString(), tenant.toString(), id.toString());
        String output = child.output();
        System.out.print(output.lines().filter(l -> l.startsWith("INGESTED") || l.contains("Error")).map(l -> l + "\n")
                .reduce("gigabyte ingest child: ", String::concat));
        assertThat(child.exitCode()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError");
        return output;
    }

    private static void checkSample(Timeline t, Path pgdata, RelTag big) throws Exception {
        Path file = pgdata.resolve("base/5/" + big.relNode());
        long blocks = 0;
        for (int seg = 0; Files.exists(segment(file, seg)); seg++) {
            blocks += Files.size(segment(file, seg)) / 8192;
        }
        byte[] size = t.get(Key.relSize(big), t.lastRecordLsn());
        assertThat(Integer.toUnsignedLong(PageOracle.u32le(size))).isEqualTo(blocks);
        int compared = 0;
        for (long b = 0; b < blocks; b += 97) {
            byte[] expected = new byte[8192];
            try (RandomAccessFile f = new RandomAccessFile(segment(file, (int) (b / 131072)).toFile(), "r")) {
                f.seek((b % 131072) * 8192);
                f.readFully(expected);
            }
            byte[] actual = t.get(Key.relBlock(big, (int) b), t.lastRecordLsn());
            assertThat(Arrays.equals(PageMask.mask(expected, true), PageMask.mask(actual, true))).as("block %d", b).isTrue();
            compared++;
        }
        System.out.printf("gigabyte ingest: %d of %d blocks of the big table compared%n", compared, blocks);
    }

    private static Path segment(Path file, int seg) {
        return seg == 0 ? file : file.resolveSibling(file.getFileName() + "." + seg);
    }

    private static long layerFileBytes(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains("__")).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
