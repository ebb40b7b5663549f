package dev.jneon.proxy.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jneon.proxy.ProxyApplication;
import dev.jneon.proxy.frontend.ClientListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A cold start longer than the handshake timeout: the handshake deadline covers connect to
 * authenticated only, so a wake that the control plane holds for several seconds (a compute
 * starting) still ends in a working session. The control plane is a JDK HttpServer speaking B.7
 * JSON whose wake answers after 8 s; the proxy's handshake timeout is 3 s.
 */
class SlowWakeIT {

    private static final long WAKE_MILLIS = 8_000;

    @TempDir
    Path dir;

    @Test
    void aWakeLongerThanTheHandshakeTimeoutStillConnects() throws Exception {
        try (var compute = new ScramCompute(dir)) {
            String secret = compute.cluster.psql("postgres",
                    "SELECT rolpassword FROM pg_authid WHERE rolname = '" + ScramCompute.ROLE + "'");
            HttpServer controlPlane = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            controlPlane.createContext("/proxy/v1/", exchange -> answer(exchange, secret, compute.port()));
            controlPlane.start();
            try (var proxy = new SpringApplicationBuilder(ProxyApplication.class).run("--server.port=0",
                    "--jneon.proxy.pg-port=0", "--jneon.proxy.ws-port=-1", "--jneon.proxy.handshake-timeout=3s",
                    "--jneon.proxy.auth-backend=cplane-v1", "--jneon.proxy.auth-endpoint=http://127.0.0.1:"
                            + controlPlane.getAddress().getPort() + "/proxy/v1")) {
                int port = proxy.getBean("pgListener", ClientListener.class).port();
                var result = Psql.query("host=127.0.0.1 port=" + port + " dbname=postgres user="
                        + ScramCompute.ROLE + " sslmode=disable options=endpoint=ep-slow-1", ScramCompute.PASSWORD,
                        "SELECT 'woken late'");
                assertThat(result.output()).isEqualTo("woken late");
                assertThat(result.exitCode()).isZero();
            } finally {
                controlPlane.stop(0);
            }
        }
    }

    private static void answer(HttpExchange exchange, String secret, int computePort) throws IOException {
        String body;
        if (exchange.getRequestURI().getPath().endsWith("/wake_compute")) {
            try {
                Thread.sleep(WAKE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            body = "{\"address\": \"127.0.0.1:" + computePort + "\", \"aux\": {\"endpoint_id\": \"ep-slow-1\","
                    + " \"project_id\": \"p\", \"branch_id\": \"b\", \"compute_id\": \"c\","
                    + " \"cold_start_info\": \"pool_miss\"}}";
        } else {
            body = "{\"role_secret\": \"" + secret + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
