package dev.jneon.pageserver.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Branch at an LSN taken mid-workload (issue 5): the parent ingests a real PostgreSQL 15's WAL up
 * to a point in the middle of a pgbench run, a child timeline branches there, and while the parent
 * ingests the rest (in another thread) and after it finished, every key of every relation read on
 * the branch at the branch point equals what the parent answered at that point before moving on,
 * and the parent still answers the same at that LSN; pages changed after it differ on the parent at
 * its end (the branch is not reading the parent's newer versions). The parent at its end also
 * passes the page oracle.
 */
class BranchMidWorkloadIT {

    @TempDir
    Path tmp;

    @Test
    void aBranchReadsTheParentsPagesAtTheBranchPointWhileTheParentMovesOn() throws Exception {
        Path pgdata = tmp.resolve("pgdata");
        try (PgCluster pg = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), pgdata)) {
            InitdbTimeline initdb = InitdbTimeline.create(pg, Map.of("wal_consistency_checking", "'all'",
                    "wal_compression", "lz4", "fsync", "off", "autovacuum", "off", "wal_keep_size", "'4GB'",
                    "max_wal_size", "'4GB'"), tmp.resolve("parent"), TenantConf.of(4L << 20, Duration.ofMinutes(10)));
            Timeline parent = initdb.timeline();
            Lsn initdbLsn = initdb.initdbLsn();
            Timeline child = null;
            try {
                pg.start(InitdbTimeline.freePort());
                pgbench(pg, "-i", "-s", "1");
                pgbench(pg, "-t", "200", "-c", "2");
                Lsn middle = Lsn.parse(pg.psql("postgres", "SELECT pg_current_wal_insert_lsn()"));
                pgbench(pg, "-t", "300", "-c", "2");
                pg.psql("postgres", "VACUUM pgbench_accounts");
                pg.psql("postgres", "CHECKPOINT");
                pg.stop("fast");

                PgWalSource wal = initdb.wal(pg);
                WalIngest ingest = new WalIngest(parent, true);
                wal.ingest(initdbLsn, middle, ingest);
                Lsn branchAt = parent.lastRecordLsn();
                assertThat(branchAt).isGreaterThan(initdbLsn).isLessThanOrEqualTo(middle);
                Map<Key, byte[]> atBranch = snapshot(parent, branchAt);

                var childMeta = new TimelineMetadata(branchAt, parent.recordLsn().prev(), parent.timelineId(), branchAt,
                        Lsn.INVALID, initdbLsn, PgMajorVersion.PG15);
                child = TimelineLoader.create(tmp.resolve("child"), initdb.tenant(), TimelineId.generate(), Generation.of(1),
                        parent, childMeta, TenantConf.DEFAULTS, Clock.systemUTC());
                child.activate();
                Timeline branch = child;
                CompletableFuture<PgWalSource.Ingested> rest = CompletableFuture.supplyAsync(
                        () -> wal.ingest(branchAt, Lsn.MAX, ingest));
                int rounds = 0;
                do {
                    assertSameAt(branch, branchAt, atBranch);
                    rounds++;
                } while (!rest.isDone());
                PgWalSource.Ingested tail = rest.join();
                Lsn end = parent.lastRecordLsn();
                assertThat(tail.end()).isEqualTo(end).isGreaterThan(branchAt);
                parent.checkpoint();

                assertSameAt(branch, branchAt, atBranch);
                assertSameAt(parent, branchAt, atBranch);
                int changed = 0;
                for (var e : atBranch.entrySet()) {
                    try {
                        if (!Arrays.equals(parent.get(e.getKey(), end), e.getValue())) {
                            changed++;
                        }
                    } catch (MissingKeyException gone) { // a block cut off by a later truncation
                        changed++;
                    }
                }
                System.out.printf("branch: %d keys at %s compared in %d rounds while the parent ingested to %s; "
                        + "%d of them changed on the parent since%n", atBranch.size(), branchAt, rounds, end, changed);
                assertThat(changed).isPositive();
                assertThat(atBranch.size()).isGreaterThan(1000);

                PageOracle oracle = PageOracle.compare(parent, pgdata, end);
                System.out.println("branch: parent at its end: " + oracle.summary());
                assertThat(oracle.structural).isEmpty();
                assertThat(oracle.mismatches).isEmpty();
                assertThat(oracle.vmSubsets).isZero();
            } finally {
                if (child != null) {
                    child.shutdown(false);
                }
                parent.shutdown(false);
            }
        }
    }

    /** Every directory, size and block key of every relation at {@code lsn}, with its content. */
    private static Map<Key, byte[]> snapshot(Timeline t, Lsn lsn) {
        Map<Key, byte[]> out = new HashMap<>();
        out.put(Key.DB_DIR, t.get(Key.DB_DIR, lsn));
        for (DbTag db : DbDirectory.decode(t.get(Key.DB_DIR, lsn)).databases().keySet()) {
            out.put(Key.relDir(db), t.get(Key.relDir(db), lsn));
            for (RelDirectory.Entry e : RelDirectory.decode(t.get(Key.relDir(db), lsn)).rels()) {
                RelTag rel = db.rel(e.relNode(), e.fork());
                byte[] size = t.get(Key.relSize(rel), lsn);
                out.put(Key.relSize(rel), size);
                List<Key> blocks = new ArrayList<>();
                for (int b = 0; b < PageOracle.u32le(size); b++) {
                    blocks.add(Key.relBlock(rel, b));
                }
                out.putAll(t.getVectored(blocks, lsn));
            }
        }
        return out;
    }

    private static void assertSameAt(Timeline t, Lsn lsn, Map<Key, byte[]> expected) {
        Map<Key, byte[]> actual = t.getVectored(expected.keySet(), lsn);
        for (var e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as("%s at %s on %s", e.getKey(), lsn, t).isEqualTo(e.getValue());
        }
    }

    private static void pgbench(PgCluster pg, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port()), "-U", PgCluster.SUPERUSER, "postgres"));
        PgCluster.run(pg.binaries().command("pgbench", all), Duration.ofMinutes(10));
    }
}
