package dev.jneon.controlplane.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.controlplane.RegistryDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The control plane end to end, all real: registry in PostgreSQL 15, storage broker, pageserver and
 * three safekeepers from their jars, the control-plane jar, computes as compute-ctl processes with
 * Postgres and the walproposer. A project and endpoint with a role are created over REST;
 * {@code wake_compute} starts a compute (concurrent wakes share it), the role logs in with its
 * password over JDBC (SCRAM); the compute is suspended after 5 s idle; the next wake starts a new one
 * on the same data; a SIGKILLed compute is replaced by the next wake; a restarted control plane keeps
 * a running compute. Error answers have the proxy API's shapes.
 */
class ScaleToZeroIT {

    @RegisterExtension
    static final RegistryDatabase DB = new RegistryDatabase();

    private static ControlPlaneStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new ControlPlaneStack(DB.jdbcUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode wake(String endpointish) throws Exception {
        return stack.ok("GET", "/proxy/v1/wake_compute?endpointish=" + endpointish + "&session_id=s1", null);
    }

    private static Connection connect(JsonNode wake, String db, String user, String password) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + wake.get("address").asString() + "/" + db, user,
                password);
    }

    private static String query(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static JsonNode awaitState(String endpoint, String state, int seconds) throws Exception {
        JsonNode e = null;
        for (int i = 0; i < seconds * 5; i++) {
            e = stack.ok("GET", "/v1/endpoints/" + endpoint, null);
            if (e.get("state").asString().equals(state)) {
                return e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("endpoint " + endpoint + " did not become " + state + " in " + seconds + " s: " + e);
    }

    @Test
    void wakeConnectSuspendWakeAgainAndReplaceAKilledCompute() throws Exception {
        JsonNode project = stack.ok("POST", "/v1/projects", "{\"id\": \"p-scale\"}");
        String branch = project.get("branches").get(0).get("id").asString();
        assertThat(project.get("branches").get(0).get("name").asString()).isEqualTo("main");
        JsonNode endpoint = stack.ok("POST", "/v1/endpoints",
                "{\"id\": \"ep-scale\", \"project_id\": \"p-scale\", \"suspend_timeout_seconds\": 5}");
        assertThat(endpoint.get("state").asString()).isEqualTo("idle");
        String password = stack.ok("POST", "/v1/branches/" + branch + "/roles", "{\"name\": \"alice\"}")
                .get("password").asString();
        stack.ok("POST", "/v1/branches/" + branch + "/databases", "{\"name\": \"appdb\", \"owner\": \"alice\"}");
        JsonNode access = stack.ok("GET", "/proxy/v1/get_endpoint_access_control?endpointish=ep-scale&role=alice",
                null);
        assertThat(access.get("role_secret").asString()).startsWith("SCRAM-SHA-256$4096:");
        assertThat(access.get("project_id").asString()).isEqualTo("p-scale");
        assertThat(access.get("allowed_ips").size()).isZero();

        // three concurrent wakes of an idle endpoint share one start
        long t0 = System.nanoTime();
        List<Future<JsonNode>> wakes = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String ish : List.of("ep-scale", "ep-scale-pooler", "p-scale")) {
                wakes.add(pool.submit((Callable<JsonNode>) () -> wake(ish)));
            }
        }
        System.out.printf("cold start through wake_compute (registry, compute-ctl, sync, basebackup, Postgres,"
                + " spec): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        JsonNode first = wakes.getFirst().get();
        for (Future<JsonNode> w : wakes) {
            assertThat(w.get().get("aux").get("compute_id")).isEqualTo(first.get("aux").get("compute_id"));
        }
        assertThat(first.get("aux").get("cold_start_info").asString()).isEqualTo("pool_miss");
        assertThat(first.get("aux").get("endpoint_id").asString()).isEqualTo("ep-scale");
        assertThat(first.get("aux").get("branch_id").asString()).isEqualTo(branch);
        assertThat(first.get("address").asString()).startsWith("127.0.0.1:");
        try (Connection alice = connect(first, "appdb", "alice", password); Statement st = alice.createStatement()) {
            st.execute("create table items (id int primary key)");
            st.execute("insert into items select generate_series(1, 1000)");
        }
        JsonNode warm = wake("ep-scale");
        assertThat(warm.get("aux").get("cold_start_info").asString()).isEqualTo("warm");
        assertThat(warm.get("aux").get("compute_id")).isEqualTo(first.get("aux").get("compute_id"));

        // a restarted control plane keeps the running compute (not idle long enough to suspend meanwhile:
        // a PATCH reconfigures the running compute)
        assertThat(stack.ok("PATCH", "/v1/endpoints/ep-scale", "{\"suspend_timeout_seconds\": 600}")
                .get("suspend_timeout_seconds").asLong()).isEqualTo(600);
        stack.controlPlane.stop();
        stack.controlPlane.start();
        assertThat(wake("ep-scale").get("aux").get("compute_id")).isEqualTo(first.get("aux").get("compute_id"));
        stack.ok("PATCH", "/v1/endpoints/ep-scale", "{\"suspend_timeout_seconds\": 5}");

        // idle for 5 s: suspended, its process gone; the next wake starts a new compute on the same data
        long pid = stack.ok("GET", "/v1/endpoints/ep-scale", null).get("pid").asLong();
        awaitState("ep-scale", "idle", 60);
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        JsonNode again = wake("ep-scale");
        assertThat(again.get("aux").get("cold_start_info").asString()).isEqualTo("pool_miss");
        assertThat(again.get("aux").get("compute_id")).isNotEqualTo(first.get("aux").get("compute_id"));
        try (Connection alice = connect(again, "appdb", "alice", password)) {
            assertThat(query(alice, "select count(*) from items")).isEqualTo("1000");
        }

        // a killed compute: the next wake notices and starts another
        long killed = stack.ok("GET", "/v1/endpoints/ep-scale", null).get("pid").asLong();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        ProcessHandle.of(killed).ifPresent(p -> p.onExit().join());
        JsonNode revived = wake("ep-scale");
        assertThat(revived.get("aux").get("compute_id")).isNotEqualTo(again.get("aux").get("compute_id"));
        try (Connection alice = connect(revived, "appdb", "alice", password)) {
            assertThat(query(alice, "select count(*) from items")).isEqualTo("1000");
        }

        String metrics = stack.controlPlane.get("/metrics").body();
        assertThat(metrics).contains("control_plane_wakes_total{cold_start_info=\"pool_miss\"}")
                .contains("control_plane_suspends_total").contains("control_plane_cold_start_seconds_count");
        assertThat(stack.ok("POST", "/v1/endpoints/ep-scale/stop", null).get("state").asString()).isEqualTo("idle");
        assertThat(ProcessHandle.of(stack.ok("GET", "/v1/endpoints/ep-scale", null).path("pid").asLong(-1)))
                .isEmpty();
        stack.ok("DELETE", "/v1/endpoints/ep-scale", null);
        assertThat(stack.call("GET", "/v1/endpoints/ep-scale", null).status()).isEqualTo(404);
        assertThat(stack.base.resolve("computes").resolve("ep-scale")).as("its compute directory").doesNotExist();
    }

    @Test
    void errorsHaveTheShapesTheProxyExpects() throws Exception {
        JsonNode project = stack.ok("POST", "/v1/projects", "{\"id\": \"p-errors\"}");
        var missing = stack.call("GET", "/proxy/v1/wake_compute?endpointish=ep-nowhere", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("error").asString()).contains("ep-nowhere");
        assertThat(missing.body().at("/status/code").asString()).isEqualTo("NOT_FOUND");
        assertThat(missing.body().at("/status/details/error_info/reason").asString()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(missing.body().at("/status/details/retry_info").isMissingNode()).isTrue();
        assertThat(stack.call("GET", "/proxy/v1/get_endpoint_access_control?endpointish=ep-nowhere&role=a", null)
                .status()).isEqualTo(404);
        assertThat(stack.call("GET", "/proxy/v1/endpoints/ep-nowhere/jwks", null).status()).isEqualTo(404);

        stack.ok("POST", "/v1/endpoints", "{\"id\": \"ep-off\", \"project_id\": \"p-errors\", \"disabled\": true}");
        var disabled = stack.call("GET", "/proxy/v1/wake_compute?endpointish=ep-off", null);
        assertThat(disabled.status()).isEqualTo(406);
        assertThat(disabled.body().at("/status/details/error_info/reason").asString()).isEqualTo("ENDPOINT_DISABLED");
        assertThat(disabled.body().at("/status/details/user_facing_message/message").asString()).contains("disabled");
        var options = stack.call("GET", "/proxy/v1/wake_compute?endpointish=ep-off&options%5Bneon_lsn%5D=0/1", null);
        assertThat(options.status()).isEqualTo(400);
        assertThat(stack.ok("GET", "/proxy/v1/endpoints/ep-off/jwks", null).toString()).isEqualTo("{\"jwks\":[]}");
        assertThat(stack.ok("GET", "/proxy/v1/get_endpoint_access_control?endpointish=ep-off&role=nobody", null)
                .get("role_secret").asString()).isEmpty();

        var badId = stack.call("POST", "/v1/endpoints", "{\"id\": \"EP_1\", \"project_id\": \"p-errors\"}");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body().get("msg").asString()).contains("[a-z0-9-]+");
        assertThat(stack.call("POST", "/v1/projects", "{\"id\": \"p-errors\"}").status()).isEqualTo(409);
        assertThat(stack.call("POST", "/v1/endpoints", "{\"project_id\": \"p-errors\"}").status())
                .as("one primary per branch").isEqualTo(409);
        String branch = project.get("branches").get(0).get("id").asString();
        assertThat(stack.call("POST", "/v1/branches/" + branch + "/databases", "{\"name\": \"d\", \"owner\": \"x\"}")
                .status()).isEqualTo(400);
        assertThat(stack.call("GET", "/v1/endpoints/ep-nowhere", null).status()).isEqualTo(404);

        JsonNode dev = stack.ok("POST", "/v1/projects/p-errors/branches", "{\"name\": \"dev\"}");
        assertThat(dev.get("parent_id").asString()).isEqualTo(branch);
        assertThat(stack.ok("GET", "/v1/projects/p-errors/branches", null).size()).isEqualTo(2);
    }
}
