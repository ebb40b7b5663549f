package dev.jneon.compute.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.testing.ServiceProcess;
import dev.jneon.compute.node.ComputeNode;
import dev.jneon.compute.node.ComputeOptions;
import dev.jneon.compute.postgres.SpecApplier;
import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.SpecParser;
import dev.jneon.compute.state.ComputeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A compute's whole life against real services: storage broker, pageserver and three safekeepers
 * run from their jars ({@link ServiceProcess}); compute-ctl's {@link ComputeNode} runs in this JVM
 * with real PostgreSQL 15 and the in-process walproposer. A primary syncs the safekeepers, starts from
 * the pageserver's basebackup, applies the spec's roles and databases, commits through the quorum and
 * terminates; a second primary on the same timeline sees the first one's rows (the pageserver got
 * them from the safekeepers); a static endpoint at an LSN shows that past state and refuses writes;
 * a killed postmaster fails the compute.
 */
class ComputeLifecycleIT {

    private static final Pattern LAST_RECORD_LSN = Pattern.compile("\"last_record_lsn\"\\s*:\\s*\"([0-9A-F/]+)\"");
    private static final String ALICE = "SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$"
            + "m8lGoSUhzwi9YHfc8DS3Ek3NZenZ+UGZOFtUTYgeVr4=:v+oJ1PNoIs9QFCpX/eZFaqojJhVr8JWoRFaLmDK/bvk=";

    private static Path base;
    private static ServiceProcess broker;
    private static ServiceProcess pageserver;
    private static final List<ServiceProcess> safekeepers = new ArrayList<>();
    private final List<ComputeNode> computes = new ArrayList<>();

    @BeforeAll
    static void startStorage() throws Exception {
        base = Files.createTempDirectory("jneon-compute-lifecycle-it");
        broker = new ServiceProcess("storage-broker", "broker", base).start();
        String brokerAddress = "127.0.0.1:" + broker.grpcPort();
        pageserver = new ServiceProcess("pageserver", "pageserver", base)
                .with("--jneon.pageserver.data-dir=" + base.resolve("pageserver"),
                        "--jneon.pageserver.broker-endpoint=http://" + brokerAddress)
                .maxHeap("512m").start();
        for (int i = 1; i <= 3; i++) {
            safekeepers.add(new ServiceProcess("safekeeper", "sk" + i, base)
                    .with("--jneon.node.id=" + i, "--jneon.safekeeper.data-dir=" + base.resolve("sk" + i),
                            "--jneon.safekeeper.broker.endpoint=" + brokerAddress)
                    .start());
        }
    }

    @AfterAll
    static void stopStorage() throws Exception {
        for (ServiceProcess sk : safekeepers) {
            sk.close();
        }
        if (pageserver != null) {
            pageserver.close();
        }
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void stopComputes() throws Exception {
        for (ComputeNode c : computes) {
            c.close();
        }
    }

    /** Tenant + bootstrap timeline on the pageserver, the same timeline on the safekeepers at its LSN. */
    private static TenantTimelineId createTimeline() throws Exception {
        var ttid = TenantTimelineId.generate();
        pageserver.call("PUT", "/v1/tenant/" + ttid.tenantId() + "/location_config",
                "{\"mode\":\"AttachedSingle\",\"generation\":1,\"tenant_conf\":{}}");
        pageserver.call("POST", "/v1/tenant/" + ttid.tenantId() + "/timeline",
                "{\"new_timeline_id\":\"" + ttid.timelineId() + "\",\"pg_version\":15}");
        Lsn start = lastRecordLsn(ttid);
        for (ServiceProcess sk : safekeepers) {
            sk.call("POST", "/v1/tenant/timeline", "{\"tenant_id\":\"" + ttid.tenantId() + "\",\"timeline_id\":\""
                    + ttid.timelineId() + "\",\"pg_version\":150000,\"system_id\":0,\"start_lsn\":\"" + start + "\"}");
        }
        return ttid;
    }

    private static Lsn lastRecordLsn(TenantTimelineId ttid) throws Exception {
        String info = pageserver.call("GET", "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId(), null);
        Matcher m = LAST_RECORD_LSN.matcher(info);
        assertThat(m.find()).as("last_record_lsn in %s", info).isTrue();
        return Lsn.parse(m.group(1));
    }

    private static ComputeSpec spec(TenantTimelineId ttid, String mode) {
        return SpecParser.parse("""
                {"spec": {"format_version": 1.0, "suspend_timeout_seconds": -1, "mode": %s,
                  "tenant_id": "%s", "timeline_id": "%s",
                  "pageserver_connection_info": {"shards": {"0000": {"pageservers": [
                      {"id": 1, "grpc_url": "grpc://127.0.0.1:%d"}]}}},
                  "safekeeper_connstrings": [%s],
                  "cluster": {"roles": [{"name": "alice", "encrypted_password": "%s"}],
                              "databases": [{"name": "appdb", "owner": "alice"}],
                              "settings": [{"name": "fsync", "value": "off", "vartype": "bool"},
                                           {"name": "shared_buffers", "value": "16MB", "vartype": "string"}]}},
                 "compute_ctl_config": {"jwks": {"keys": []}}}
                """.formatted(mode, ttid.tenantId(), ttid.timelineId(), pageserver.grpcPort(),
                String.join(", ", safekeepers.stream().map(sk -> "\"127.0.0.1:" + sk.grpcPort() + "\"").toList()),
                ALICE)).spec();
    }

    private ComputeNode compute(String name) throws Exception {
        var options = new ComputeOptions(base.resolve(name), ServiceProcess.freePort(), name,
                PgBinaries.of(PgMajorVersion.PG15), "neon_superuser", Duration.ZERO);
        var node = new ComputeNode(options);
        computes.add(node);
        return node;
    }

    private static String query(ComputeNode node, String db, String sql) throws Exception {
        try (var c = new SpecApplier(port(node), "neon_superuser").connect(db); Statement st = c.createStatement()) {
            if (!st.execute(sql)) {
                return null;
            }
            try (ResultSet rs = st.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static int port(ComputeNode node) {
        return node.options().port();
    }

    @Test
    void primaryStartsAppliesTheSpecCommitsThroughTheQuorumAndTerminates() throws Exception {
        TenantTimelineId ttid = createTimeline();
        ComputeNode first = compute("primary-1");
        var after = first.configure(spec(ttid, "\"Primary\""));
        assertThat(after.status()).as("error: %s", after.error()).isEqualTo(ComputeStatus.RUNNING);
        assertThat(first.timings()).containsKeys("wait_for_spec_ms", "sync_safekeepers_ms", "basebackup_ms",
                "basebackup_bytes", "start_postgres_ms", "config_ms", "total_startup_ms");
        System.out.println("compute start-up on a fresh timeline (ms, bytes): " + new java.util.TreeMap<>(first.timings()));

        assertThat(query(first, "appdb", "select current_setting('wal_consistency_checking') || ' '"
                + " || current_setting('synchronous_standby_names')")).isEqualTo("all walproposer");
        try (var alice = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port(first) + "/appdb", "alice",
                "alice-secret"); Statement st = alice.createStatement()) {
            st.execute("create table items (id int primary key, name text)");
            st.execute("insert into items select g, 'item ' || g from generate_series(1, 10000) g");
        }
        assertThat(query(first, "appdb", "select count(*) from public.items")).isEqualTo("10000");
        for (int i = 0; i < 300 && first.status().state().lastActive() == null; i++) {
            Thread.sleep(100); // the activity monitor looks every 500 ms
        }
        assertThat(first.status().state().lastActive()).as("alice's session counts as activity").isNotNull();
        Lsn committed = Lsn.parse(query(first, "postgres", "select pg_current_wal_flush_lsn()"));
        assertThat(query(first, "postgres", "select sync_state from pg_stat_replication"
                + " where application_name = 'walproposer'")).isEqualTo("sync");

        // reconfigure (A.8): a new role and database while running; mode changes are refused
        ComputeSpec more = SpecParser.parse(SpecParser.write(spec(ttid, "\"Primary\""))
                .replaceFirst("^", "{\"spec\": ").concat("}")
                .replace("\"databases\":[", "\"databases\":[{\"name\":\"reports\",\"owner\":\"alice\"},")).spec();
        assertThat(first.configure(more).status()).isEqualTo(ComputeStatus.RUNNING);
        assertThat(query(first, "postgres", "select pg_get_userbyid(datdba) from pg_database where datname = 'reports'"))
                .isEqualTo("alice");
        assertThatThrownBy(() -> first.configure(spec(ttid, "{\"Static\": \"" + committed + "\"}")))
                .isInstanceOf(ComputeNode.RequestRefused.class).hasMessageContaining("cannot change");

        ComputeNode.Termination t = first.terminate(false);
        assertThat(first.state().status()).isEqualTo(ComputeStatus.TERMINATED);
        assertThat(t.lsn()).as("end of WAL after termination").isGreaterThanOrEqualTo(committed);
        assertThatThrownBy(() -> query(first, "postgres", "select 1")).as("Postgres is gone")
                .hasMessageContaining("Connection");
        assertThat(first.terminate(false).already()).isTrue();

        // the pageserver got the first compute's WAL from the safekeepers: a new primary starts on it
        ComputeNode second = compute("primary-2");
        second.startWith(spec(ttid, "\"Primary\""));
        assertThat(second.state().await(s -> s == ComputeStatus.RUNNING || s.isFinal(), Duration.ofMinutes(5)))
                .as("error: %s", second.state().snapshot().error()).isEqualTo(ComputeStatus.RUNNING);
        assertThat(query(second, "appdb", "select count(*) || ' ' || sum(id) from public.items"))
                .isEqualTo("10000 50005000");
        query(second, "appdb", "insert into public.items values (10001, 'after restart')");
        assertThat(second.terminate(true).lsn()).isGreaterThan(t.lsn());
    }

    @Test
    void staticEndpointShowsThePastReadOnly() throws Exception {
        TenantTimelineId ttid = createTimeline();
        ComputeNode primary = compute("static-source");
        assertThat(primary.configure(spec(ttid, "\"Primary\"")).status()).isEqualTo(ComputeStatus.RUNNING);
        query(primary, "postgres", "create table public.t as select generate_series(1, 100) x");
        Lsn at = Lsn.parse(query(primary, "postgres", "select pg_current_wal_flush_lsn()"));
        query(primary, "postgres", "insert into public.t select generate_series(101, 200)");

        ComputeNode reader = compute("static");
        reader.startWith(spec(ttid, "{\"Static\": \"" + at + "\"}"));
        assertThat(reader.state().await(s -> s == ComputeStatus.RUNNING || s.isFinal(), Duration.ofMinutes(5)))
                .as("error: %s", reader.state().snapshot().error()).isEqualTo(ComputeStatus.RUNNING);
        assertThat(query(reader, "postgres", "select pg_is_in_recovery()::text || ' ' || count(*) from public.t"))
                .isEqualTo("true 100");
        assertThatThrownBy(() -> query(reader, "postgres", "insert into public.t values (201)"))
                .hasMessageContaining("read-only transaction");
        assertThatThrownBy(() -> query(reader, "postgres", "create role eve"))
                .hasMessageContaining("read-only transaction");
        assertThat(reader.terminate(false).lsn()).as("a static endpoint syncs nothing").isNull();
        assertThat(reader.state().status()).isEqualTo(ComputeStatus.TERMINATED);
        assertThat(query(primary, "postgres", "select count(*) from public.t")).as("the primary ran on").isEqualTo("200");
    }

    @Test
    void aKilledPostmasterFailsTheCompute() throws Exception {
        TenantTimelineId ttid = createTimeline();
        ComputeNode node = compute("killed");
        assertThat(node.configure(spec(ttid, "\"Primary\"")).status()).isEqualTo(ComputeStatus.RUNNING);
        long pid = Long.parseLong(Files.readAllLines(base.resolve("killed").resolve("postmaster.pid")).getFirst().strip());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(node.state().await(ComputeStatus::isFinal, Duration.ofMinutes(1))).isEqualTo(ComputeStatus.FAILED);
        assertThat(node.state().snapshot().error()).startsWith("postgres exited with code");
        assertThat(node.ended().get()).as("compute-ctl exits with Postgres' code").isNotZero();
    }
}
