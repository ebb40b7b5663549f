package dev.jneon.proxy.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.testing.ServiceProcess;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the proxy jar with a session in the middle of a query (B.15, seed 001): the listener
 * closes at once (new connections are refused), the open session finishes its query and ends, and
 * the process exits 0. The query waits on an advisory lock the test holds, so the order does not
 * depend on timing. Runs under failsafe: it needs the packaged jar.
 */
class ProxyShutdownIT {

    @TempDir
    Path dir;

    @Test
    void sigtermRefusesNewConnectionsLetsTheSessionFinishAndExitsZero() throws Exception {
        try (var compute = new ScramCompute(dir)) {
            int pgPort = ServiceProcess.freePort();
            var proxy = new ServiceProcess("proxy", "proxy", dir).with("--jneon.proxy.pg-port=" + pgPort,
                    "--jneon.proxy.ws-port=-1", "--jneon.proxy.auth-backend=postgres",
                    "--jneon.proxy.auth-endpoint=" + compute.authUrl(), "--jneon.proxy.drain-timeout=120s");
            try (proxy; Connection holder = DriverManager.getConnection(compute.cluster.jdbcUrl("postgres"))) {
                proxy.start();
                try (var s = holder.createStatement()) {
                    s.execute("SELECT pg_advisory_lock(42)");
                }
                var props = new Properties();
                props.setProperty("user", ScramCompute.ROLE);
                props.setProperty("password", ScramCompute.PASSWORD);
                props.setProperty("sslmode", "disable");
                props.setProperty("options", "endpoint=ep-1");
                Connection session = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort
                        + "/postgres", props);
                CompletableFuture<String> query = CompletableFuture.supplyAsync(() -> {
                    try (session; var s = session.createStatement();
                            var rs = s.executeQuery("SELECT pg_advisory_lock(42)::text || 'finished'")) {
                        rs.next();
                        return rs.getString(1);
                    } catch (Exception e) {
                        return e.toString();
                    }
                });
                while (!compute.cluster.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type"
                        + " = 'Lock' AND query LIKE '%finished%'").equals("1")) {
                    Thread.sleep(50);
                }

                ProcessHandle.of(proxy.pid()).orElseThrow().destroy();
                while (accepts(pgPort)) {
                    Thread.sleep(50);
                }
                assertThat(query).isNotDone();
                assertThat(proxy.isAlive()).isTrue();

                try (var s = holder.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(42)");
                }
                assertThat(query.get(60, TimeUnit.SECONDS)).isEqualTo("finished");
                assertThat(proxy.stop()).isZero();
                assertThat(proxy.tail()).contains("terminating");
            }
        }
    }

    private static boolean accepts(int port) throws Exception {
        try (var socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }
}
