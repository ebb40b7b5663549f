package dev.jneon.pageserver.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.importer.DataDirImport;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page oracle (issue 5): a real PostgreSQL 15 cluster with data checksums and
 * wal_consistency_checking=all (so every modified block carries an image) is imported into a
 * timeline right after initdb, runs a workload, checkpoints and stops cleanly; all of its WAL from
 * the initdb checkpoint is then ingested, and every page of every relation fork except FSM read
 * from the timeline at the last LSN must equal the page in the data files after masking what
 * PostgreSQL changes without WAL ({@link PageMask}); every relation size must be equal.
 */
class PageOracleIT {

    private static final Pattern REL_FILE = Pattern.compile("(\\d+)(?:_(fsm|vm|init))?");
    private static final TenantShardId TENANT = TenantShardId.unsharded(TenantId.generate());

    @TempDir
    Path tmp;

    @Test
    void everyPageAfterAWorkloadMatchesPostgres() throws Exception {
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        Path pgdata = tmp.resolve("pgdata");
        try (PgCluster pg = new PgCluster(binaries, pgdata)) {
            pg.initdb(List.of("--data-checksums"));
            pg.configure(Map.of("wal_consistency_checking", "'all'", "wal_compression", "lz4", "fsync", "off",
                    "autovacuum", "off", "wal_keep_size", "'4GB'", "max_wal_size", "'4GB'"));
            PgControl control = DataDirImport.controlFile(pgdata);
            Lsn initdbLsn = control.checkPoint();
            var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, initdbLsn,
                    PgMajorVersion.PG15);
            Timeline timeline = TimelineLoader.create(tmp.resolve("tl"), TENANT, TimelineId.generate(),
                    Generation.of(1), null, metadata, TenantConf.DEFAULTS, Clock.systemUTC());
            timeline.activate();
            try {
                DataDirImport.importAt(pgdata, timeline.writer(), initdbLsn, PgMajorVersion.PG15);

                pg.start(freePort());
                workload(pg);
                pg.stop("fast");

                WalIngest ingest = new WalIngest(timeline, true);
                var ingested = new PgWalSource(pgdata.resolve("pg_wal"), control.build().xlogSegSize())
                        .ingest(initdbLsn, Lsn.MAX, ingest);
                PgControl stopped = DataDirImport.controlFile(pgdata);
                Lsn shutdown = stopped.checkPoint();
                System.out.printf("page oracle: ingested %d records up to %s (shutdown checkpoint at %s), stopped by %s%n",
                        ingested.records(), ingested.end(), shutdown, ingested.stoppedBy());
                assertThat(ingested.end()).isGreaterThan(shutdown);
                assertThat(timeline.lastRecordLsn()).isEqualTo(ingested.end());
                assertThat(ingest.checkPoint()).isEqualTo(stopped.checkPointCopy());
                assertThat(timeline.get(Key.CHECKPOINT, ingested.end())).isEqualTo(stopped.checkPointCopy().encode());

                Comparison result = compare(timeline, pgdata, ingested.end());
                System.out.printf("page oracle: %d pages compared, %d byte-identical, %d equal after masking, "
                        + "%d differ %s; %d relation sizes compared, %d differ %s%n", result.pages,
                        result.identical, result.pages - result.mismatches.size(), result.mismatches.size(),
                        result.mismatchKinds(), result.sizes, result.sizeMismatches.size(), result.sizeMismatches);
                assertThat(result.sizeMismatches).isEmpty();
                assertThat(result.mismatches).isEmpty();
                assertThat(result.pages).isGreaterThan(3000);
            } finally {
                timeline.shutdown(false);
            }
        }
    }

    private static void workload(PgCluster pg) {
        PgCluster.run(pg.binaries().command("pgbench", List.of("-i", "-s", "1", "-h", "127.0.0.1", "-p",
                Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "postgres")), Duration.ofMinutes(10));
        PgCluster.run(pg.binaries().command("pgbench", List.of("-t", "300", "-c", "2", "-h", "127.0.0.1", "-p",
                Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "postgres")), Duration.ofMinutes(10));
        for (String sql : List.of(
                "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, repeat('x', g % 100) FROM generate_series(1, 20000) g",
                "UPDATE t SET v = 'updated' WHERE id % 7 = 0",
                "DELETE FROM t WHERE id % 11 = 0",
                "VACUUM t",
                "CREATE INDEX t_v ON t (v)",
                "CREATE TABLE gone (a int)",
                "INSERT INTO gone SELECT generate_series(1, 1000)",
                "DROP TABLE gone",
                "CREATE TABLE cut (a int)",
                "INSERT INTO cut SELECT generate_series(1, 5000)",
                "TRUNCATE cut",
                "INSERT INTO cut VALUES (1)",
                "DELETE FROM t WHERE id > 15000",
                "VACUUM t",
                "VACUUM FREEZE t",
                "UPDATE t SET v = 'after freeze' WHERE id % 13 = 0",
                "DELETE FROM t WHERE id % 17 = 0",
                "INSERT INTO t VALUES (100001, 'new')",
                "SELECT * FROM t WHERE id % 19 = 0 FOR UPDATE")) {
            pg.psql("postgres", sql);
        }
        pg.psql("postgres", "CHECKPOINT");
    }

    record Mismatch(RelTag rel, int block, String kind) {}

    static final class Comparison {
        int pages;
        int identical;
        int sizes;
        final List<Mismatch> mismatches = new ArrayList<>();
        final List<String> sizeMismatches = new ArrayList<>();

        Map<String, Integer> mismatchKinds() {
            Map<String, Integer> kinds = new TreeMap<>();
            for (Mismatch m : mismatches) {
                kinds.merge(m.rel.fork() + "/" + m.kind, 1, Integer::sum);
            }
            return kinds;
        }
    }

    private static Comparison compare(Timeline t, Path pgdata, Lsn lsn) throws IOException {
        Comparison c = new Comparison();
        List<Path> dbDirs;
        try (Stream<Path> base = Files.list(pgdata.resolve("base"))) {
            dbDirs = Stream.concat(Stream.of(pgdata.resolve("global")),
                    base.filter(d -> d.getFileName().toString().matches("\\d+"))).toList();
        }
        for (Path dir : dbDirs) {
            DbTag db = dir.getFileName().toString().equals("global") ? DbTag.GLOBAL
                    : new DbTag(RelTag.DEFAULT_TABLESPACE, Integer.parseInt(dir.getFileName().toString()));
            RelDirectory rels = RelDirectory.decode(t.get(Key.relDir(db), lsn));
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.sorted().toList();
            }
            for (Path file : files) {
                Matcher m = REL_FILE.matcher(file.getFileName().toString());
                if (!m.matches() || "fsm".equals(m.group(2))) {
                    continue;
                }
                ForkNumber fork = m.group(2) == null ? ForkNumber.MAIN
                        : m.group(2).equals("vm") ? ForkNumber.VISIBILITY_MAP : ForkNumber.INIT;
                RelTag rel = db.rel(Integer.parseUnsignedInt(m.group(1)), fork);
                byte[] bytes = Files.readAllBytes(file);
                int blocks = bytes.length / 8192;
                c.sizes++;
                if (!rels.contains(rel.relNode(), fork)) {
                    c.sizeMismatches.add(rel + " missing (" + blocks + " blocks in Postgres)");
                    continue;
                }
                byte[] size = t.get(Key.relSize(rel), lsn);
                int stored = (size[0] & 0xFF) | (size[1] & 0xFF) << 8 | (size[2] & 0xFF) << 16 | (size[3] & 0xFF) << 24;
                if (stored != blocks) {
                    c.sizeMismatches.add(rel + " " + stored + " blocks, Postgres " + blocks);
                }
                for (int b = 0; b < Math.min(blocks, stored); b++) {
                    byte[] expected = Arrays.copyOfRange(bytes, b * 8192, (b + 1) * 8192);
                    byte[] actual = t.get(Key.relBlock(rel, b), lsn);
                    c.pages++;
                    if (Arrays.equals(expected, actual)) {
                        c.identical++;
                    } else if (!Arrays.equals(PageMask.mask(expected, fork == ForkNumber.MAIN),
                            PageMask.mask(actual, fork == ForkNumber.MAIN))) {
                        c.mismatches.add(new Mismatch(rel, b, PageMask.kind(expected)));
                    }
                }
            }
        }
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
