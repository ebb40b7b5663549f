package dev.jneon.proxy.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.testing.ScratchPostgres;
import dev.jneon.proxy.cplane.CachingControlPlane;
import dev.jneon.proxy.cplane.ComputeAux;
import dev.jneon.proxy.cplane.ControlPlaneConfiguration;
import dev.jneon.proxy.cplane.NodeInfo;
import dev.jneon.proxy.cplane.NodeInfoCache;
import dev.jneon.proxy.cplane.PostgresControlPlane;
import dev.jneon.proxy.cplane.PostgresUrl;
import dev.jneon.proxy.cplane.ProjectInfoCache;
import dev.jneon.proxy.cplane.RetryPolicy;
import dev.jneon.proxy.cplane.WakeRateLimiter;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;

/**
 * SQL over HTTP against a real PostgreSQL 15 that is both the {@code postgres} auth backend and the compute; the
 * compute requires scram-sha-256 for {@code alice}, so every request also proves the SCRAM key passthrough.
 */
class SqlOverHttpIT {

    static final String CONN = "postgresql://alice:wonder%20land@ep-sql-1.local.jneon.dev/postgres";

    static ScratchPostgres postgres;
    static PgCluster cluster;
    static CachingControlPlane controlPlane;
    static SqlOverHttpServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        postgres = ScratchPostgres.start("sqlhttp", List.of("host all alice 127.0.0.1/32 scram-sha-256"));
        cluster = postgres.cluster();
        cluster.psql("postgres", "CREATE ROLE alice LOGIN PASSWORD 'wonder land'; GRANT ALL ON SCHEMA public TO alice;"
                + "CREATE SCHEMA neon_control_plane;"
                + "CREATE TABLE neon_control_plane.endpoints (endpoint_id text PRIMARY KEY, allowed_ips text);"
                + "INSERT INTO neon_control_plane.endpoints VALUES ('ep-locked', '10.0.0.0/8')");
        var registry = new SimpleMeterRegistry();
        var backend = new PostgresControlPlane(PostgresUrl.parse(postgres.superuserUrl()));
        controlPlane = new CachingControlPlane(backend,
                new NodeInfoCache(100, Duration.ofMinutes(4), Ticker.systemTicker(), registry),
                new ProjectInfoCache(100, Duration.ofMinutes(4), 10, Ticker.systemTicker(), registry),
                new WakeRateLimiter(WakeRateLimiter.DEFAULT, Ticker.systemTicker()), RetryPolicy.WAKE,
                RetryPolicy.Sleeper.REAL);
        server = new SqlOverHttpServer("127.0.0.1", 0, controlPlane, Duration.ofSeconds(2));
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static String url() {
        return "http://127.0.0.1:" + server.port() + "/sql";
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    static Answer post(String body, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url())).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? null : SqlResponses.JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response);
    }

    static Answer query(String body, String... extra) throws Exception {
        String[] headers = new String[extra.length + 2];
        headers[0] = "Neon-Connection-String";
        headers[1] = CONN;
        System.arraycopy(extra, 0, headers, 2, extra.length);
        return post(body, headers);
    }

    @Test
    void singleQueryConvertsTypes() throws Exception {
        Answer a = query("""
                {"query": "SELECT $1::int + 1 AS n, 'x'::text AS t, true AS b, 1.5::float8 AS f, 'NaN'::float8 AS nan, \
                  9007199254740993::int8 AS big, 1.10::numeric AS num, '{\\"a\\": 1}'::jsonb AS j, \
                  ARRAY[1, NULL] AS arr, '[1:2]={3,4}'::int[] AS bounded, NULL::int AS nothing",
                 "params": [41]}""");
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        assertThat(a.body().get("command").asString()).isEqualTo("SELECT");
        assertThat(a.body().get("rowCount").asInt()).isEqualTo(1);
        assertThat(a.body().get("rowAsArray").asBoolean()).isFalse();
        assertThat(a.body().get("rows").toString()).isEqualTo("[{\"n\":42,\"t\":\"x\",\"b\":true,\"f\":1.5,"
                + "\"nan\":\"NaN\",\"big\":\"9007199254740993\",\"num\":\"1.10\",\"j\":{\"a\":1},\"arr\":[1,null],"
                + "\"bounded\":[3,4],\"nothing\":null}]");
        JsonNode n = a.body().get("fields").get(0);
        assertThat(n.toString()).isEqualTo("{\"name\":\"n\",\"dataTypeID\":23,\"tableID\":0,\"columnID\":0,"
                + "\"dataTypeSize\":4,\"dataTypeModifier\":-1,\"format\":\"text\"}");
        assertThat(a.raw().headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(a.raw().headers().firstValue("Neon-Request-Id")).isPresent();
    }

    @Test
    void arrayModeAndRawTextAsTheDriverAsks() throws Exception {
        Answer a = query("{\"query\": \"SELECT 1 AS a, true AS b, NULL::text AS c\"}", "Neon-Array-Mode", "true",
                "Neon-Raw-Text-Output", "true", "Neon-Request-Id", "0b8e1f34-52a4-4f5e-9a1c-35d1c9bb0e11");
        assertThat(a.body().get("rowAsArray").asBoolean()).isTrue();
        assertThat(a.body().get("rows").toString()).isEqualTo("[[\"1\",\"t\",null]]");
        assertThat(a.raw().headers().firstValue("Neon-Request-Id")).contains("0b8e1f34-52a4-4f5e-9a1c-35d1c9bb0e11");
        Answer notExactlyTrue = query("{\"query\": \"SELECT 1 AS a\"}", "Neon-Array-Mode", "TRUE");
        assertThat(notExactlyTrue.body().get("rows").toString()).isEqualTo("[{\"a\":1}]");
    }

    @Test
    void batchRunsInOneTransactionAndRollsBackOnError() throws Exception {
        Answer ok = query("""
                {"queries": [{"query": "CREATE TABLE t_batch (id int PRIMARY KEY, v text)"},
                             {"query": "INSERT INTO t_batch VALUES ($1, $2), (2, 'b')", "params": [1, "a"]},
                             {"query": "SELECT current_setting('transaction_isolation') AS iso, count(*) FROM t_batch",
                              "arrayMode": true}]}""", "Neon-Batch-Isolation-Level", "Serializable");
        assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
        JsonNode results = ok.body().get("results");
        assertThat(results.get(0).get("command").asString()).isEqualTo("CREATE");
        assertThat(results.get(0).get("rowCount").isNull()).isTrue();
        assertThat(results.get(1).get("command").asString()).isEqualTo("INSERT");
        assertThat(results.get(1).get("rowCount").asInt()).isEqualTo(2);
        assertThat(results.get(2).get("rows").toString()).isEqualTo("[[\"serializable\",\"2\"]]");
        assertThat(ok.raw().headers().firstValue("Neon-Batch-Isolation-Level")).contains("Serializable");

        Answer failed = query("""
                {"queries": [{"query": "INSERT INTO t_batch VALUES (3, 'c')"},
                             {"query": "INSERT INTO t_batch VALUES (1, 'dup')"}]}""");
        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.body().get("code").asString()).isEqualTo("23505");
        assertThat(failed.body().get("constraint").asString()).isEqualTo("t_batch_pkey");
        assertThat(failed.body().get("table").asString()).isEqualTo("t_batch");
        assertThat(query("{\"query\": \"SELECT count(*) AS c FROM t_batch\"}").body().get("rows").toString())
                .isEqualTo("[{\"c\":\"2\"}]");

        Answer readOnly = query("{\"queries\": [{\"query\": \"INSERT INTO t_batch VALUES (9, 'x')\"}]}",
                "Neon-Batch-Read-Only", "true");
        assertThat(readOnly.body().get("code").asString()).isEqualTo("25006");
    }

    @Test
    void sqlErrorsCarryEveryNeonKey() throws Exception {
        Answer a = query("{\"query\": \"SELECT * FROM no_such_table\"}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().get("message").asString()).isEqualTo("relation \"no_such_table\" does not exist");
        assertThat(a.body().get("code").asString()).isEqualTo("42P01");
        assertThat(a.body().get("position").asString()).isEqualTo("15");
        assertThat(a.body().get("severity").asString()).isEqualTo("ERROR");
        assertThat(a.body().get("hint").isNull()).isTrue();
        assertThat(a.body().propertyNames()).hasSize(17);
    }

    @Test
    void authenticationAndRoutingErrors() throws Exception {
        Answer wrong = post("{\"query\": \"SELECT 1\"}", "Neon-Connection-String",
                "postgresql://alice:nope@ep-sql-1.local.jneon.dev/postgres");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().get("message").asString()).isEqualTo("password authentication failed for user 'alice'");
        assertThat(wrong.body().get("code").asString()).isEqualTo("28P01");
        Answer ghost = post("{\"query\": \"SELECT 1\"}", "Neon-Connection-String",
                "postgresql://ghost:x@ep-sql-1.local.jneon.dev/postgres");
        assertThat(ghost.body().get("message").asString()).isEqualTo("password authentication failed for user 'ghost'");
        Answer locked = post("{\"query\": \"SELECT 1\"}", "Neon-Connection-String",
                "postgresql://alice:wonder%20land@ep-locked.local.jneon.dev/postgres");
        assertThat(locked.body().get("message").asString())
                .isEqualTo("This IP address 127.0.0.1 is not allowed to connect to this endpoint.");
        assertThat(post("{\"query\": \"SELECT 1\"}").status()).isEqualTo(400);
        assertThat(post("{\"query\": \"SELECT 1\"}", "Neon-Connection-String", "postgres://a:b@127.0.0.1/x")
                .body().get("message").asString()).contains("not an IP address");
        assertThat(query("not json").status()).isEqualTo(400);
        var notFound = HTTP.send(HttpRequest.newBuilder(URI.create(url().replace("/sql", "/other"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).contains("\"msg\"");
    }

    @Test
    void optionsAnswersCors() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Allow")).contains("OPTIONS, POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Neon-Connection-String").contains("Authorization").doesNotContain("Deferrable");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).contains("86400");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    @Test
    void sizeLimits() throws Exception {
        String huge = "{\"query\": \"SELECT 1\", \"params\": [\"" + "x".repeat(10 << 20) + "\"]}";
        assertThat(query(huge).status()).isEqualTo(413);
        Answer big = query("{\"query\": \"SELECT repeat('x', 1000000) FROM generate_series(1, 11)\"}");
        assertThat(big.status()).isEqualTo(507);
        assertThat(query("{\"query\": \"SELECT 1 AS still_ok\"}").status()).isEqualTo(200);
    }

    @Test
    void staleCachedAddressIsInvalidatedAndWokenAgain() throws Exception {
        int dead;
        try (var socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        controlPlane.nodeCache().store("ep-stale", NodeInfo.at("127.0.0.1:" + dead, Optional.empty(),
                new ComputeAux("ep-stale", "", "", "", ComputeAux.ColdStart.WARM)));
        Answer a = post("{\"query\": \"SELECT 7 AS n\"}", "Neon-Connection-String",
                "postgresql://alice:wonder%20land@ep-stale.local.jneon.dev/postgres");
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        assertThat(a.body().get("rows").toString()).isEqualTo("[{\"n\":7}]");
        assertThat(controlPlane.nodeCache().lookup("ep-stale").orElseThrow().node().port()).isEqualTo(cluster.port());
    }

    @Test
    void neonServerlessDriverRunsAQueryAndATransaction() throws Exception {
        Path dir = Files.createDirectories(postgres.base().resolve("node"));
        ServerlessDriver driver = ServerlessDriver.install(dir);
        String out = driver.node("""
                const { neon, neonConfig } = require('@neondatabase/serverless');
                neonConfig.fetchEndpoint = () => process.env.SQL_URL;
                const sql = neon(process.env.CONN);
                (async () => {
                  const rows = await sql`SELECT ${41}::int + 1 AS n, ${'hi'} AS s, true AS ok`;
                  const [, , counted] = await sql.transaction([
                    sql`CREATE TABLE t_node (id int)`,
                    sql`INSERT INTO t_node VALUES (1), (2)`,
                    sql`SELECT count(*)::int AS c, current_setting('transaction_isolation') AS iso FROM t_node`,
                  ], { isolationLevel: 'RepeatableRead' });
                  let err = null;
                  try { await sql`SELECT * FROM missing_table`; } catch (e) { err = e.code; }
                  console.log(JSON.stringify({ rows, counted, err }));
                })().catch((e) => { console.error(e); process.exit(1); });
                """, Map.of("SQL_URL", url(), "CONN", CONN));
        assertThat(out).isEqualTo("{\"rows\":[{\"n\":42,\"s\":\"hi\",\"ok\":true}],"
                + "\"counted\":[{\"c\":2,\"iso\":\"repeatable read\"}],\"err\":\"42P01\"}");
    }

    @Test
    void springStartsTheListenerOnlyWhenItsPortAndAControlPlaneAreSet() {
        var runner = new ApplicationContextRunner()
                .withUserConfiguration(ControlPlaneConfiguration.class, SqlOverHttpConfiguration.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new);
        runner.withPropertyValues("jneon.proxy.auth-backend=postgres",
                "jneon.proxy.auth-endpoint=" + postgres.superuserUrl(), "jneon.proxy.sql-port=0").run(context -> {
                    var listener = context.getBean(SqlOverHttpServer.class);
                    assertThat(listener.isRunning()).isTrue();
                    var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port()
                            + "/sql")).header("Neon-Connection-String", CONN)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 5 AS five\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.body()).contains("\"rows\":[{\"five\":5}]");
                });
        runner.withPropertyValues("jneon.proxy.auth-backend=postgres",
                "jneon.proxy.auth-endpoint=" + postgres.superuserUrl())
                .run(context -> assertThat(context).doesNotHaveBean(SqlOverHttpServer.class));
        runner.withPropertyValues("jneon.proxy.sql-port=0")
                .run(context -> assertThat(context).doesNotHaveBean(SqlOverHttpServer.class));
    }
}
