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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The proxy with the {@code cplane-v1} backend against a control plane speaking B.7 JSON (a JDK
 * HttpServer in the test that knows one endpoint, whose compute is a real PostgreSQL 15), without
 * TLS: an unknown endpoint gets the control plane's clear error, and a compute that moved after its
 * address was cached is found again by a new wake without the client seeing an error.
 */
class ProxyControlPlaneIT {

    static final String KNOWN = "ep-known-1";

    @TempDir
    static Path dir;

    static ScramCompute compute;
    static HttpServer controlPlane;
    static ConfigurableApplicationContext proxy;
    static int port;
    static final AtomicInteger wakes = new AtomicInteger();
    static volatile int computePort;

    @BeforeAll
    static void start() throws Exception {
        compute = new ScramCompute(dir);
        computePort = compute.port();
        String secret = compute.cluster.psql("postgres",
                "SELECT rolpassword FROM pg_authid WHERE rolname = '" + ScramCompute.ROLE + "'");
        controlPlane = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        controlPlane.createContext("/proxy/v1/", exchange -> answer(exchange, secret));
        controlPlane.start();
        proxy = new SpringApplicationBuilder(ProxyApplication.class).run("--server.port=0",
                "--jneon.proxy.pg-port=0", "--jneon.proxy.ws-port=-1", "--jneon.proxy.auth-backend=cplane-v1",
                "--jneon.proxy.auth-endpoint=http://127.0.0.1:" + controlPlane.getAddress().getPort() + "/proxy/v1");
        port = proxy.getBean("pgListener", ClientListener.class).port();
    }

    private static void answer(HttpExchange exchange, String secret) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        String body;
        int status = 200;
        if (!query.contains("endpointish=" + KNOWN)) {
            status = 404;
            body = "{\"error\": \"no such endpoint\", \"status\": {\"code\": \"NOT_FOUND\", \"message\": \"no such"
                    + " endpoint\", \"details\": {\"error_info\": {\"reason\": \"ENDPOINT_NOT_FOUND\"}}}}";
        } else if (path.endsWith("/wake_compute")) {
            wakes.incrementAndGet();
            body = "{\"address\": \"127.0.0.1:" + computePort + "\", \"aux\": {\"endpoint_id\": \"" + KNOWN
                    + "\", \"project_id\": \"p\", \"branch_id\": \"b\", \"compute_id\": \"c\","
                    + " \"cold_start_info\": \"warm\"}}";
        } else {
            body = "{\"role_secret\": \"" + (query.contains("role=" + ScramCompute.ROLE) ? secret : "") + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (controlPlane != null) {
            controlPlane.stop(0);
        }
        if (compute != null) {
            compute.close();
        }
    }

    private static Psql.Result query(String endpoint, String sql) throws Exception {
        return Psql.query("host=127.0.0.1 port=" + port + " dbname=postgres user=" + ScramCompute.ROLE
                + " sslmode=prefer options=endpoint=" + endpoint, ScramCompute.PASSWORD, sql);
    }

    @Test
    void anUnknownEndpointGetsTheControlPlanesClearError() throws Exception {
        var result = query("ep-nowhere-9", "SELECT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Control plane request failed: endpoint cannot be found");
    }

    @Test
    void aComputeThatMovedAfterItsAddressWasCachedIsWokenAgain() throws Exception {
        assertThat(query(KNOWN, "SELECT 1").output()).isEqualTo("1");
        int wakesBefore = wakes.get();
        assertThat(query(KNOWN, "SELECT 2").output()).isEqualTo("2");
        assertThat(wakes.get()).as("the second connection uses the cached address").isEqualTo(wakesBefore);

        compute.cluster.stop("immediate");
        computePort = ScramCompute.freePort();
        compute.cluster.start(computePort);

        var result = query(KNOWN, "SELECT 3");
        assertThat(result.output()).isEqualTo("3");
        assertThat(result.exitCode()).isZero();
        assertThat(wakes.get()).as("the stale address was invalidated and woken again").isEqualTo(wakesBefore + 1);
    }
}
