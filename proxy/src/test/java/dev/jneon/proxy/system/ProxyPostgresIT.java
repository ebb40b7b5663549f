package dev.jneon.proxy.system;

import static dev.jneon.proxy.system.ProxyStack.ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.proxy.frontend.EndpointResolver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients (psql, pgbench, pgjdbc) through an in-process proxy to a real PostgreSQL 15 that
 * requires SCRAM: endpoint by options, SNI and password hack; the standard errors; cancel.
 */
class ProxyPostgresIT {

    @TempDir
    static Path dir;

    static ProxyStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new ProxyStack(dir);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void psqlConnectsWithScramAndTheEndpointInOptions() throws Exception {
        var result = Psql.query(stack.conninfo("options=endpoint=" + ENDPOINT), ScramCompute.PASSWORD,
                "SELECT current_user || ' ' || (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())::text");
        // the compute sees the proxy's plaintext connection; the client's TLS ends at the proxy
        assertThat(result.output()).isEqualTo("alice false");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void psqlConnectsWithTheEndpointInTheServerName() throws Exception {
        var result = Psql.query("host=" + ENDPOINT + ".local.jneon.dev hostaddr=127.0.0.1 port=" + stack.port
                + " dbname=postgres user=alice sslmode=require", ScramCompute.PASSWORD, "SELECT 40 + 2");
        assertThat(result.output()).isEqualTo("42");
    }

    @Test
    void psqlConnectsWithThePasswordHack() throws Exception {
        var result = Psql.query(stack.conninfo(""), "endpoint=" + ENDPOINT + ";" + ScramCompute.PASSWORD, "SELECT 7");
        assertThat(result.output()).isEqualTo("7");
    }

    @Test
    void aWrongPasswordGetsTheStandardAuthenticationError() throws Exception {
        var result = Psql.query(stack.conninfo("options=endpoint=" + ENDPOINT), "wrong", "SELECT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("password authentication failed for user 'alice'");
        var hack = Psql.query(stack.conninfo(""), "endpoint=" + ENDPOINT + ";wrong", "SELECT 1");
        assertThat(hack.output()).contains("password authentication failed for user 'alice'");
        assertThatThrownBy(() -> stack.jdbc("wrong").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed for user 'alice'")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
    }

    @Test
    void withoutAnEndpointTheClientIsToldHowToNameOne() throws Exception {
        var result = Psql.query(stack.conninfo(""), ScramCompute.PASSWORD, "SELECT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Endpoint ID is not specified");
        assertThat(EndpointResolver.NO_ENDPOINT_MESSAGE).contains("options=endpoint%3D");
        var inconsistent = Psql.query("host=ep-a.local.jneon.dev hostaddr=127.0.0.1 port=" + stack.port
                + " dbname=postgres user=alice sslmode=require options=endpoint=ep-b", ScramCompute.PASSWORD,
                "SELECT 1");
        assertThat(inconsistent.output()).contains("Inconsistent project name inferred from SNI ('ep-a') and"
                + " project option ('ep-b').");
    }

    @Test
    void plaintextIsRefusedWhileTlsIsConfigured() throws Exception {
        var result = Psql.query("host=127.0.0.1 port=" + stack.port + " dbname=postgres user=alice sslmode=disable"
                + " options=endpoint=" + ENDPOINT, ScramCompute.PASSWORD, "SELECT 1");
        assertThat(result.output()).contains("connection is insecure (try using sslmode=require)");
    }

    @Test
    void pgjdbcConnectsAndRunsQueries() throws SQLException {
        try (Connection c = stack.jdbc(ScramCompute.PASSWORD); var s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS jdbc_t(id int)");
            s.execute("INSERT INTO jdbc_t SELECT generate_series(1, 100)");
            try (var rs = s.executeQuery("SELECT count(*), current_setting('application_name') FROM jdbc_t")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(100);
                assertThat(rs.getString(2)).isEqualTo("PostgreSQL JDBC Driver");
            }
        }
    }

    @Test
    void pgbenchRunsThroughTheProxyWithAndWithoutReconnects() throws Exception {
        var init = Psql.run(List.of(Psql.BIN + "pgbench", "-i", "-s", "1", "-q"), stack.libpqEnv());
        assertThat(init.exitCode()).as(init.output()).isZero();
        var select = Psql.run(List.of(Psql.BIN + "pgbench", "-S", "-c", "4", "-t", "200"), stack.libpqEnv());
        assertThat(select.exitCode()).as(select.output()).isZero();
        assertThat(select.output()).contains("number of transactions actually processed: 800/800");
        var reconnect = Psql.run(List.of(Psql.BIN + "pgbench", "-S", "-C", "-c", "2", "-t", "25"), stack.libpqEnv());
        assertThat(reconnect.exitCode()).as(reconnect.output()).isZero();
        assertThat(reconnect.output()).contains("number of transactions actually processed: 50/50");
    }

    @Test
    void jdbcCancelReachesTheCompute() throws Exception {
        try (Connection c = stack.jdbc(ScramCompute.PASSWORD); var s = c.createStatement()) {
            CompletableFuture<SQLException> sleeping = CompletableFuture.supplyAsync(() -> {
                try {
                    s.execute("SELECT pg_sleep(600)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            while (!"active".equals(stack.compute.cluster.psql("postgres",
                    "SELECT coalesce(max(state), '') FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)'"))) {
                Thread.sleep(50);
            }
            s.cancel();
            SQLException cancelled = sleeping.get(120, TimeUnit.SECONDS);
            assertThat((Object) cancelled).isNotNull();
            assertThat(cancelled.getSQLState()).isEqualTo("57014");
            try (var rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }
}
