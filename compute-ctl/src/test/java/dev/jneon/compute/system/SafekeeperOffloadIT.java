package dev.jneon.compute.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.testing.ServiceProcess;
import dev.jneon.compute.node.ComputeNode;
import dev.jneon.compute.node.ComputeOptions;
import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.SpecParser;
import dev.jneon.compute.state.ComputeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Safekeeper WAL offload, removal and recovery against real services: storage broker, pageserver and
 * three safekeepers (offloading to a local-filesystem remote storage) from their jars, and a compute
 * (real PostgreSQL 15, in-process walproposer) under pgbench. A {@link RemoteConsistentReporter}
 * stands in for the pageserver's remote uploads. Local WAL on every safekeeper stays bounded while
 * pgbench runs, one safekeeper offloads; then one safekeeper's disk is wiped and it is restarted: it
 * recovers the timeline from its peers by itself, and after another safekeeper is killed the
 * compute still commits with the recovered one in the quorum.
 */
class SafekeeperOffloadIT {

    private static final Pattern LAST_RECORD_LSN = Pattern.compile("\"last_record_lsn\"\\s*:\\s*\"([0-9A-F/]+)\"");
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}(\\.partial)?");
    private static final String ALICE = "SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$"
            + "m8lGoSUhzwi9YHfc8DS3Ek3NZenZ+UGZOFtUTYgeVr4=:v+oJ1PNoIs9QFCpX/eZFaqojJhVr8JWoRFaLmDK/bvk=";
    private static final int SEG = 16 << 20;

    private static Path base;
    private static ServiceProcess broker;
    private static ServiceProcess pageserver;
    private static final List<ServiceProcess> safekeepers = new ArrayList<>();
    private static ComputeNode compute;

    @BeforeAll
    static void startStorage() throws Exception {
        base = Files.createTempDirectory("jneon-sk-offload-it");
        broker = new ServiceProcess("storage-broker", "broker", base).start();
        String brokerAddress = "127.0.0.1:" + broker.grpcPort();
        pageserver = new ServiceProcess("pageserver", "pageserver", base)
                .with("--jneon.pageserver.data-dir=" + base.resolve("pageserver"),
                        "--jneon.pageserver.broker-endpoint=http://" + brokerAddress)
                .maxHeap("512m").start();
        for (int i = 1; i <= 3; i++) {
            safekeepers.add(new ServiceProcess("safekeeper", "sk" + i, base)
                    .with("--jneon.node.id=" + i, "--jneon.safekeeper.data-dir=" + base.resolve("sk" + i),
                            "--jneon.safekeeper.broker.endpoint=" + brokerAddress,
                            "--jneon.safekeeper.remote-storage.local-path=" + base.resolve("remote"),
                            "--jneon.safekeeper.backup.interval=500ms",
                            "--jneon.safekeeper.backup.partial-backup-timeout=5s",
                            "--jneon.safekeeper.recovery.interval=1s")
                    .start());
        }
    }

    @AfterAll
    static void stopStorage() throws Exception {
        if (compute != null) {
            compute.close();
        }
        for (ServiceProcess sk : safekeepers) {
            sk.close();
        }
        if (pageserver != null) {
            pageserver.close();
        }
        if (broker != null) {
            broker.close();
        }
        deleteTree(base);
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static TenantTimelineId createTimeline() throws Exception {
        var ttid = TenantTimelineId.generate();
        pageserver.call("PUT", "/v1/tenant/" + ttid.tenantId() + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":1,\"tenant_conf\":{}}");
        pageserver.call("POST", "/v1/tenant/" + ttid.tenantId() + "/timeline",
                "{\"new_timeline_id\":\"" + ttid.timelineId() + "\",\"pg_version\":15}");
        String info = pageserver.call("GET", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId(), null);
        Matcher m = LAST_RECORD_LSN.matcher(info);
        assertThat(m.find()).isTrue();
        for (ServiceProcess sk : safekeepers) {
            sk.call("POST", "/v1/tenant/timeline", "{\"tenant_id\":\"" + ttid.tenantId() + "\",\"timeline_id\":\""
                    + ttid.timelineId() + "\",\"pg_version\":150000,\"system_id\":0,\"start_lsn\":\"" + m.group(1)
                    + "\"}");
        }
        return ttid;
    }

    private static ComputeSpec spec(TenantTimelineId ttid) {
        return SpecParser.parse("""
                {"spec": {"format_version": 1.0, "suspend_timeout_seconds": -1, "mode": "Primary",
                  "tenant_id": "%s", "timeline_id": "%s",
                  "pageserver_connection_info": {"shards": {"0000": {"pageservers": [
                      {"id": 1, "grpc_url": "grpc://127.0.0.1:%d"}]}}},
                  "safekeeper_connstrings": [%s],
                  "cluster": {"roles": [{"name": "alice", "encrypted_password": "%s"}],
                              "databases": [{"name": "appdb", "owner": "alice"}],
                              "settings": [{"name": "fsync", "value": "off", "vartype": "bool"}]}},
                 "compute_ctl_config": {"jwks": {"keys": []}}}
                """.formatted(ttid.tenantId(), ttid.timelineId(), pageserver.grpcPort(),
                String.join(", ", safekeepers.stream().map(sk -> "\"127.0.0.1:" + sk.grpcPort() + "\"").toList()),
                ALICE)).spec();
    }

    private static Path timelineDir(int sk, TenantTimelineId ttid) {
        return base.resolve("sk" + sk).resolve(ttid.tenantId().toString()).resolve(ttid.timelineId().toString());
    }

    private static int localSegments(int sk, TenantTimelineId ttid) {
        try (Stream<Path> files = Files.list(timelineDir(sk, ttid))) {
            return (int) files.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).count();
        } catch (Exception e) {
            return 0; // wiped or not there yet
        }
    }

    private static double metric(ServiceProcess sk, String name) throws Exception {
        for (String line : sk.call("GET", "/metrics", null).split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static String status(ServiceProcess sk, TenantTimelineId ttid) throws Exception {
        var r = sk.get("/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId());
        return r.statusCode() == 200 ? r.body() : null;
    }

    private static Lsn field(String status, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([0-9A-F/]+)\"").matcher(status);
        assertThat(m.find()).as("%s in %s", name, status).isTrue();
        return Lsn.parse(m.group(1));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1800 && !condition.getAsBoolean(); i++) { // hang guard (3 min), not a timing assertion
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static String pgbench(List<String> args) {
        String conn = "host=127.0.0.1 port=" + compute.options().port() + " user=alice password=alice-secret dbname=appdb";
        List<String> all = new ArrayList<>(args);
        all.add(conn);
        return PgCluster.run(PgBinaries.of(PgMajorVersion.PG15).command("pgbench", all), Duration.ofMinutes(10));
    }

    private static Connection alice() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + compute.options().port() + "/appdb",
                "alice", "alice-secret");
    }

    private static String query(String sql) throws Exception {
        try (Connection c = alice(); Statement st = c.createStatement()) {
            st.setQueryTimeout(180); // hang guard: a commit without a quorum would wait forever
            if (!st.execute(sql)) {
                return null;
            }
            try (ResultSet rs = st.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static long currentSegments(Lsn start) throws Exception {
        return Lsn.parse(query("select pg_current_wal_flush_lsn()")).segmentNumber(SEG) - start.segmentNumber(SEG) + 1;
    }

    @Test
    void localWalStaysBoundedAndAWipedSafekeeperRecoversIntoTheQuorum() throws Exception {
        TenantTimelineId ttid = createTimeline();
        Lsn start = field(status(safekeepers.get(0), ttid), "flush_lsn");
        compute = new ComputeNode(new ComputeOptions(base.resolve("compute"), ServiceProcess.freePort(), "compute",
                PgBinaries.of(PgMajorVersion.PG15), "neon_superuser", Duration.ZERO));
        var state = compute.configure(spec(ttid));
        assertThat(state.status()).as("error: %s", state.error()).isEqualTo(ComputeStatus.RUNNING);

        // pgbench with the stand-in pageserver reporting everything it received as uploaded
        var maxLocal = new AtomicIntegerArray(3);
        try (var reporter = new RemoteConsistentReporter(safekeepers.get(2).grpcPort(), ttid, start)) {
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (int i = 0; i < 3; i++) {
                        maxLocal.accumulateAndGet(i, localSegments(i + 1, ttid), Math::max);
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            pgbench(List.of("-i", "-s", "4", "-q"));
            var bench = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    bench.complete(pgbench(List.of("-n", "-c", "4", "-j", "2", "-T", "60")));
                } catch (RuntimeException e) {
                    bench.completeExceptionally(e);
                }
            });
            // next to pgbench, bulk inserts until at least 16 segments of WAL exist
            query("create table filler (id int, v text)");
            for (int i = 0; i < 200 && currentSegments(start) < 16; i++) {
                query("insert into filler select g, repeat('x', 500) from generate_series(1, 20000) g");
            }
            String out = bench.get(10, java.util.concurrent.TimeUnit.MINUTES);
            Lsn end = Lsn.parse(query("select pg_current_wal_flush_lsn()"));
            long generated = end.segmentNumber(SEG) - start.segmentNumber(SEG) + 1;
            await("the reporter received all WAL", () -> !reporter.received().isBefore(end));
            for (int i = 1; i <= 3; i++) {
                int sk = i;
                await("sk" + sk + " keeps at most 2 segments once everything is offloaded",
                        () -> localSegments(sk, ttid) <= 2);
            }
            sampler.interrupt();
            sampler.join();
            System.out.println("pgbench with offload: " + out.lines().filter(l -> l.startsWith("tps")).findFirst()
                    .orElse("?") + "; WAL " + generated + " segments; most segments held locally per safekeeper "
                    + maxLocal);
            assertThat(generated).as("enough WAL for the bound to mean something").isGreaterThanOrEqualTo(10);
            for (int i = 0; i < 3; i++) {
                assertThat(maxLocal.get(i)).as("sk%d never held all the WAL", i + 1).isLessThan((int) generated);
                assertThat(metric(safekeepers.get(i), "safekeeper_wal_removed_segments_total")).isPositive();
            }
        }
        List<Double> uploads = new ArrayList<>();
        for (ServiceProcess sk : safekeepers) {
            uploads.add(metric(sk, "safekeeper_backup_segments_uploaded_total"));
        }
        assertThat(uploads.stream().filter(u -> u > 0).count()).as("offloaders among %s", uploads).isEqualTo(1);
        try (Stream<Path> objects = Files.list(base.resolve("remote").resolve(ttid.tenantId().toString())
                .resolve(ttid.timelineId().toString()))) {
            assertThat(objects.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).count())
                    .isEqualTo(uploads.stream().mapToLong(Double::longValue).sum());
        }

        // wipe sk2's disk and restart it: it pulls the timeline from its peers and rejoins
        ServiceProcess sk2 = safekeepers.get(1);
        sk2.kill();
        deleteTree(base.resolve("sk2"));
        Files.createDirectories(base.resolve("sk2"));
        query("create table after_wipe (id int)");
        sk2.start();
        await("sk2 recovered the timeline", () -> {
            try {
                return status(sk2, ttid) != null;
            } catch (Exception e) {
                return false;
            }
        });
        query("insert into after_wipe select generate_series(1, 1000)");
        Lsn committed = Lsn.parse(query("select pg_current_wal_flush_lsn()"));
        await("sk2 streams again from the compute", () -> {
            try {
                return !field(status(sk2, ttid), "flush_lsn").isBefore(committed);
            } catch (Exception e) {
                return false;
            }
        });

        // without sk1 the quorum is sk2 + sk3: commits are still acknowledged (synchronous_commit=on: the
        // insert returns only once the walproposer reported it flushed on two safekeepers)
        safekeepers.get(0).kill();
        query("insert into after_wipe select generate_series(1001, 2000)");
        assertThat(query("select count(*) from after_wipe")).isEqualTo("2000");
        Lsn last = Lsn.parse(query("select pg_current_wal_flush_lsn()"));
        for (ServiceProcess sk : List.of(sk2, safekeepers.get(2))) {
            await(sk + " holds the last commit", () -> {
                try {
                    return !field(status(sk, ttid), "flush_lsn").isBefore(last);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }
}
