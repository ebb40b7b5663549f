package dev.jneon.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL 15 with {@code synchronous_standby_names='walproposer'} streaming to the
 * walproposer ({@link WalProposerCommand#run}), which proposes to three {@link LoopbackSafekeeper}s
 * over gRPC: a COMMIT returns only once a quorum holds its WAL, and the safekeepers receive
 * Postgres' WAL bytes verbatim.
 */
class WalProposerPgIT {

    private static final int SEG = 16 << 20;

    private Path base;
    private PgCluster cluster;
    private final List<LoopbackSafekeeper> sks = new ArrayList<>();
    private Thread walproposer;
    private Process process;
    private final AtomicReference<Throwable> walproposerError = new AtomicReference<>();
    private final TenantTimelineId ttid = TenantTimelineId.generate();

    @BeforeEach
    void startPostgresAndSafekeepers() throws Exception {
        base = Files.createTempDirectory("jneon-walproposer-it");
        cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), base.resolve("pgdata"));
        cluster.initdb(List.of());
        cluster.configure(Map.of("wal_level", "replica", "max_wal_senders", "10", "max_replication_slots", "10",
                "synchronous_standby_names", "'walproposer'", "synchronous_commit", "on",
                "wal_sender_timeout", "'10s'", "fsync", "off"));
        cluster.start(freePort());
        Lsn start = Lsn.parse(cluster.psql("postgres", "select pg_current_wal_flush_lsn()"));
        for (int i = 1; i <= 3; i++) {
            sks.add(new LoopbackSafekeeper(i, start));
        }
    }

    private Lsn start() {
        return sks.getFirst().model.timelineStart;
    }

    private String safekeeperList() {
        return String.join(",", sks.stream().map(sk -> sk.address().toString()).toList());
    }

    private void startInProcess() {
        Lsn start = start();
        var options = new WalProposerCommand.Options("127.0.0.1", cluster.port(), PgCluster.SUPERUSER, null,
                "walproposer", ttid, sks.stream().map(LoopbackSafekeeper::address).toList(),
                PgVersionId.of(PgMajorVersion.PG15), SEG, start, 64 << 20);
        walproposer = Thread.ofVirtual().name("walproposer-under-test").start(() -> {
            try {
                WalProposerCommand.run(options);
            } catch (Throwable t) {
                walproposerError.set(t);
            }
        });
    }

    @AfterEach
    void stopAll() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (walproposer != null) {
            walproposer.interrupt();
            walproposer.join(30_000);
        }
        for (LoopbackSafekeeper sk : sks) {
            sk.close();
            assertThat(sk.violation).isNull();
        }
        if (cluster != null) {
            cluster.close();
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void commitWaitsForAQuorumOfSafekeepers() throws Exception {
        startInProcess();
        cluster.psql("postgres", "create table t (x int)"); // needs the quorum's acknowledgement already
        assertThat(cluster.psql("postgres", "select application_name || ' ' || sync_state from pg_stat_replication"))
                .isEqualTo("walproposer sync");

        Lsn before = sks.get(0).flush();
        sks.get(1).stall(true);
        sks.get(2).stall(true);
        var insert = CompletableFuture.supplyAsync(() -> cluster.psql("postgres", "insert into t values (1)"));
        for (int i = 0; i < 300 && !sks.get(0).flush().isAfter(before); i++) {
            Thread.sleep(100);
        }
        assertThat(sks.get(0).flush()).as("the insert's WAL reached the one free safekeeper").isGreaterThan(before);
        Thread.sleep(2000);
        assertThat(insert).as("COMMIT waits while only 1 of 3 safekeepers acknowledges").isNotDone();

        sks.get(1).stall(false);
        sks.get(2).stall(false);
        insert.get(60, TimeUnit.SECONDS);
        assertThat(cluster.psql("postgres", "select count(*) from t")).isEqualTo("1");
        assertThat(walproposerError.get()).isNull();

        Lsn reported = Lsn.parse(cluster.psql("postgres", "select flush_lsn from pg_stat_replication"));
        long atQuorum = sks.stream().filter(sk -> !sk.flush().isBefore(reported)).count();
        assertThat(atQuorum).as("safekeepers holding the reported flush LSN").isGreaterThanOrEqualTo(2);
        assertVerbatim(sks.get(0));
    }

    @Test
    void aNewerProposerFencesTheWalproposer() throws Exception {
        startInProcess();
        cluster.psql("postgres", "create table t (x int)");
        Lsn end = SyncSafekeepers.run(ttid, sks.stream().map(LoopbackSafekeeper::address).toList(),
                PgVersionId.of(PgMajorVersion.PG15), SEG, java.time.Duration.ofSeconds(60));
        walproposer.join(60_000);
        assertThat(walproposer.isAlive()).isFalse();
        assertThat(walproposerError.get()).isInstanceOf(ProposerFailedException.class)
                .hasMessageContaining("another proposer holds term");

        var insert = CompletableFuture.supplyAsync(() -> cluster.psql("postgres", "insert into t values (1)"));
        Thread.sleep(2000);
        assertThat(insert).as("no commit is acknowledged once the walproposer is fenced").isNotDone();
        assertThat(sks).allSatisfy(sk -> assertThat(sk.flush()).isEqualTo(end));
    }

    @Test
    void runsAsAProcess() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WalProposerCommand.class.getName(),
                "--pg-connstr", "postgresql://" + PgCluster.SUPERUSER + "@127.0.0.1:" + cluster.port(),
                "--tenant-id", ttid.tenantId().toString(), "--timeline-id", ttid.timelineId().toString(),
                "--safekeepers", safekeeperList(), "--start-lsn", start().toString(), "--pg-version", "15");
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(base.resolve("walproposer.log").toFile()).start();
        cluster.psql("postgres", "create table t (x int); insert into t values (1)");
        assertThat(process.isAlive()).as("walproposer process is still running").isTrue();
        assertThat(Files.readString(base.resolve("walproposer.log"))).contains("elected in term 1");
        assertThat(sks.stream().filter(sk -> sk.flush().isAfter(start())).count()).isGreaterThanOrEqualTo(2);
    }

    /** Prints pgbench's TPS with every commit waiting for the loopback quorum (a figure, no assertion on it). */
    @Test
    void printsPgbenchThroughputThroughTheQuorum() {
        startInProcess();
        var bin = cluster.binaries();
        List<String> common = List.of("-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", PgCluster.SUPERUSER);
        PgCluster.run(bin.command("pgbench", concat(common, List.of("-i", "-s", "1", "-q", "postgres"))),
                java.time.Duration.ofMinutes(5));
        List<String> run = concat(common, List.of("-n", "-c", "4", "-j", "2", "-T", "5", "postgres"));
        cluster.psql("postgres", "alter system set synchronous_commit = local");
        cluster.psql("postgres", "select pg_reload_conf()");
        String local = PgCluster.run(bin.command("pgbench", run), java.time.Duration.ofMinutes(5));
        cluster.psql("postgres", "alter system reset synchronous_commit");
        cluster.psql("postgres", "select pg_reload_conf()");
        String quorum = PgCluster.run(bin.command("pgbench", run), java.time.Duration.ofMinutes(5));
        System.out.println("pgbench (4 clients, 5 s) synchronous_commit=local: " + tps(local)
                + "; =on through the walproposer and 3 loopback safekeepers: " + tps(quorum));
        assertThat(walproposerError.get()).isNull();
    }

    private static String tps(String pgbenchOutput) {
        return pgbenchOutput.lines().filter(l -> l.startsWith("tps")).findFirst().orElseThrow();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The safekeeper's WAL equals the bytes in Postgres' own segment file. */
    private void assertVerbatim(LoopbackSafekeeper sk) throws IOException {
        Lsn start = sk.model.timelineStart;
        long segNo = start.segmentNumber(SEG);
        String name = String.format("%08X%08X%08X", 1, segNo / 256, segNo % 256);
        int offset = start.segmentOffset(SEG);
        int n = (int) Math.min(sk.flush().minus(start), SEG - offset);
        byte[] pg = new byte[n];
        try (var file = new RandomAccessFile(cluster.dataDir().resolve("pg_wal").resolve(name).toFile(), "r")) {
            file.seek(offset);
            file.readFully(pg);
        }
        assertThat(n).isPositive();
        assertThat(sk.bytes(start, start.plus(n))).isEqualTo(pg);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
