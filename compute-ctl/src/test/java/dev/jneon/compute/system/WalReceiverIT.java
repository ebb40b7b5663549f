package dev.jneon.compute.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.testing.PageComparison;
import dev.jneon.common.testing.ServiceProcess;
import dev.jneon.compute.walproposer.SafekeeperAddress;
import dev.jneon.compute.walproposer.WalProposerCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pageserver's WAL receiver end to end, nothing simulated: a PostgreSQL 15 data directory
 * (initdb, data checksums) is imported into a pageserver jar with import_pgdata; the cluster then
 * runs with the in-process walproposer as its synchronous standby against three safekeeper jars,
 * which publish to a storage broker jar; the pageserver learns of the safekeepers from the broker
 * and streams the WAL. While pgbench and DDL run, the safekeeper the pageserver streams from is
 * killed with SIGKILL (ingest goes on from another one) and then the pageserver itself (restarted,
 * it resumes from disk_consistent_lsn). Once last_record_lsn reaches Postgres' flush LSN after a
 * CHECKPOINT, every page of every relation fork but FSM read over gRPC GetPages equals Postgres'
 * data files after masking ({@link PageComparison}).
 */
class WalReceiverIT {

    private static final int SEG = 16 << 20;
    private static final PgVersionId PG15 = PgVersionId.of(PgMajorVersion.PG15);
    private static final Pattern LAST_RECORD = Pattern.compile("\"last_record_lsn\"\\s*:\\s*\"([0-9A-Fa-f]+/[0-9A-Fa-f]+)\"");
    private static final Pattern CURRENT_SK = Pattern.compile("(?m)^pageserver_walreceiver_current_safekeeper\\{[^}]*} (\\S+)$");

    private final TenantTimelineId ttid = TenantTimelineId.generate();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<ServiceProcess> safekeepers = new ArrayList<>();
    private final AtomicReference<Throwable> walproposerError = new AtomicReference<>();
    private Path base;
    private PgCluster cluster;
    private Thread walproposer;
    private ServiceProcess pageserver;
    private long phaseStart;

    @AfterEach
    void stopAll() throws Exception {
        if (walproposer != null) {
            walproposer.interrupt();
            walproposer.join(30_000);
        }
        if (cluster != null) {
            cluster.close();
        }
        for (ServiceProcess s : services) {
            s.stop();
        }
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void pagesStreamedThroughSafekeepersMatchPostgresAcrossSafekeeperAndPageserverKills() throws Exception {
        base = Files.createTempDirectory("jneon-walreceiver-it");
        phaseStart = System.nanoTime();
        ServiceProcess broker = service(new ServiceProcess("storage-broker", "broker", base));
        String brokerAddress = "127.0.0.1:" + broker.grpcPort();
        for (int i = 1; i <= 3; i++) {
            Path dir = Files.createDirectories(base.resolve("sk" + i));
            safekeepers.add(service(new ServiceProcess("safekeeper", "sk" + i, base).with("--jneon.node.id=" + i,
                    "--jneon.safekeeper.data-dir=" + dir, "--jneon.safekeeper.broker.endpoint=" + brokerAddress)));
        }
        pageserver = service(new ServiceProcess("pageserver", "pageserver", base).maxHeap("384m").with(
                "--jneon.pageserver.data-dir=" + base.resolve("pageserver"),
                "--jneon.pageserver.broker-endpoint=http://" + brokerAddress,
                "--jneon.pageserver.walreceiver.connect-timeout=5s",
                "--jneon.pageserver.walreceiver.lagging-wal-timeout=5s"));
        var started = startAll(List.copyOf(services)); // all at once; clients reconnect to the broker
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        cluster = new PgCluster(binaries, base.resolve("pgdata"));
        cluster.initdb(List.of("--data-checksums"));
        cluster.configure(Map.ofEntries(Map.entry("wal_consistency_checking", "'all'"),
                Map.entry("wal_compression", "lz4"),
                Map.entry("wal_level", "replica"), Map.entry("max_wal_senders", "10"),
                Map.entry("max_replication_slots", "10"), Map.entry("synchronous_standby_names", "'walproposer'"),
                Map.entry("synchronous_commit", "on"), Map.entry("wal_sender_timeout", "'10s'"),
                Map.entry("fsync", "off"), Map.entry("autovacuum", "off"), Map.entry("wal_keep_size", "'2GB'"),
                Map.entry("max_wal_size", "'2GB'")));
        PgControl control = PgControl.parse(Files.readAllBytes(cluster.dataDir().resolve("global/pg_control")));
        started.get(3, TimeUnit.MINUTES);
        phase("services started");

        // import the stopped cluster; its WAL continues where the import ends
        pageserver.call("PUT", "/v1/tenant/" + ttid.tenantId() + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":1,\"tenant_conf\":{\"checkpoint_distance\":4194304}}");
        String created = pageserver.call("POST", "/v1/tenant/" + ttid.tenantId() + "/timeline",
                "{\"new_timeline_id\":\"" + ttid.timelineId() + "\",\"import_pgdata\":{\"idempotency_key\":\"it\","
                        + "\"location\":{\"LocalFs\":{\"path\":\"" + cluster.dataDir() + "\"}}}}");
        Lsn start = lastRecordLsn(created);
        phase("import_pgdata at " + start);
        assertThat(start).isGreaterThan(control.checkPoint());
        for (ServiceProcess sk : safekeepers) {
            sk.call("POST", "/v1/tenant/timeline", "{\"tenant_id\":\"" + ttid.tenantId() + "\",\"timeline_id\":\""
                    + ttid.timelineId() + "\",\"pg_version\":" + PG15.value() + ",\"system_id\":"
                    + Long.toUnsignedString(control.systemIdentifier()) + ",\"start_lsn\":\"" + start + "\"}");
        }

        cluster.start(ServiceProcess.freePort());
        var options = new WalProposerCommand.Options("127.0.0.1", cluster.port(), PgCluster.SUPERUSER, null,
                "walproposer", ttid, safekeepers.stream().map(s -> new SafekeeperAddress("127.0.0.1", s.grpcPort()))
                .toList(), PG15, SEG, start, 64 << 20);
        walproposer = Thread.ofVirtual().name("walproposer").start(() -> {
            try {
                WalProposerCommand.run(options);
            } catch (Throwable t) {
                walproposerError.set(t);
            }
        });

        List<String> conn = List.of("-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", PgCluster.SUPERUSER);
        PgCluster.run(binaries.command("pgbench", concat(conn, List.of("-i", "-s", "1", "-q", "postgres"))),
                Duration.ofMinutes(3));
        phase("pgbench -i");
        var bench = CompletableFuture.supplyAsync(() -> PgCluster.run(binaries.command("pgbench",
                concat(conn, List.of("-n", "-c", "2", "-j", "2", "-T", "10", "postgres"))), Duration.ofMinutes(3)));

        // kill -9 the safekeeper the pageserver streams from
        int streamingFrom = awaitCurrentSafekeeper();
        Thread.sleep(2000);
        ServiceProcess victim = safekeepers.get(streamingFrom - 1);
        victim.kill();
        System.out.println("killed safekeeper " + streamingFrom + " while the pageserver streamed from it at "
                + lastRecordLsn(pageserver.call("GET", timelinePath(), null)));

        // kill -9 the pageserver mid-ingest and start it again
        Thread.sleep(3000);
        Lsn beforeKill = lastRecordLsn(pageserver.call("GET", timelinePath(), null));
        pageserver.kill();
        pageserver.start();
        Lsn afterRestart = lastRecordLsn(pageserver.call("GET", timelinePath(), null));
        System.out.println("pageserver killed at last_record_lsn " + beforeKill + ", restarted at " + afterRestart);

        String benchOut = bench.get(3, TimeUnit.MINUTES);
        phase("pgbench");
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
                "VACUUM FREEZE t",
                "UPDATE t SET v = 'after freeze' WHERE id % 13 = 0",
                "CHECKPOINT",
                // a commit (no page change) waits for the safekeepers, so the checkpoint is committed too
                "SELECT pg_logical_emit_message(true, 'jneon', 'end of workload')")) {
            cluster.psql("postgres", sql);
        }
        phase("workload");
        Lsn target = Lsn.parse(cluster.psql("postgres", "select pg_current_wal_flush_lsn()"));
        Lsn reached = awaitLastRecordLsn(target, Duration.ofMinutes(2));
        phase("pageserver caught up");
        assertThat(walproposerError.get()).isNull();
        assertThat(victim.isAlive()).isFalse();
        int finalSource = currentSafekeeper();
        System.out.println("pgbench: " + line(benchOut, "tps") + "; pageserver reached " + reached + " (target "
                + target + ") streaming from safekeeper " + finalSource);
        assertThat(finalSource).isNotEqualTo(streamingFrom);

        PageComparison result;
        try (var pages = new GrpcPageSource(pageserver.grpcPort(), ttid, target)) {
            result = PageComparison.of(cluster.dataDir(), pages);
        }
        phase("page comparison");
        System.out.println("walreceiver page oracle: " + result.summary());
        assertThat(result.sizeMismatches()).isEmpty();
        assertThat(result.mismatches()).isEmpty();
        assertThat(result.pages()).isGreaterThan(2000);
    }

    /** Prints how long the test has run so far, for keeping its duration in check. */
    private void phase(String what) {
        System.out.printf("WalReceiverIT %5.1f s: %s%n", (System.nanoTime() - phaseStart) / 1e9, what);
    }

    private ServiceProcess service(ServiceProcess s) {
        services.add(s);
        return s;
    }

    /** Starts every service on its own thread (the common pool may have a single worker here). */
    private static CompletableFuture<Void> startAll(List<ServiceProcess> all) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (ServiceProcess s : all) {
            var done = new CompletableFuture<Void>();
            Thread.ofVirtual().name("start-" + s).start(() -> {
                try {
                    s.start();
                    done.complete(null);
                } catch (Exception | Error e) {
                    done.completeExceptionally(e);
                }
            });
            starts.add(done);
        }
        return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new));
    }

    private String timelinePath() {
        return "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId();
    }

    private static Lsn lastRecordLsn(String timelineJson) {
        Matcher m = LAST_RECORD.matcher(timelineJson);
        assertThat(m.find()).as("last_record_lsn in %s", timelineJson).isTrue();
        return Lsn.parse(m.group(1));
    }

    private int currentSafekeeper() throws Exception {
        Matcher m = CURRENT_SK.matcher(pageserver.call("GET", "/metrics", null));
        return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    }

    /** The node id of the safekeeper the pageserver streams from, once it streams (bounded wait). */
    private int awaitCurrentSafekeeper() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            int sk = currentSafekeeper();
            if (sk != 0) {
                return sk;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the pageserver never streamed from a safekeeper:\n" + pageserver.tail());
    }

    /** Polls the timeline until last_record_lsn reaches {@code target}; fails after {@code timeout}. */
    private Lsn awaitLastRecordLsn(Lsn target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Lsn last = Lsn.INVALID;
        while (System.nanoTime() < deadline) {
            last = lastRecordLsn(pageserver.call("GET", timelinePath(), null));
            if (!last.isBefore(target)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("last_record_lsn stayed at " + last + ", below " + target + ":\n" + pageserver.tail());
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no '" + prefix + "' line)");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
