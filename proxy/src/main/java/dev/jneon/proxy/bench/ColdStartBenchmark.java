package dev.jneon.proxy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./jneon bench cold-start [--dir D] [--rounds N]}: against a running stack (its
 * {@code D/stack.json}), creates a project, an endpoint that never suspends by itself and a role
 * through the control plane's REST API, then per round suspends the endpoint and times a JDBC
 * connection through the proxy up to the first row of {@code SELECT 1} (cold: the proxy's cached
 * address is dead, the control plane starts a compute), followed by the same on the now running
 * compute (warm). Prints every round and the medians; deletes the project at the end. A figure, not
 * a test: nothing is asserted. Single-threaded.
 */
public final class ColdStartBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String ROLE = "bench";

    private final String controlPlane;
    private final int proxyPort;

    private ColdStartBenchmark(String controlPlane, int proxyPort) {
        this.controlPlane = controlPlane;
        this.proxyPort = proxyPort;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(".jneon");
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --dir D, --rounds N)");
            }
        }
        JsonNode stack = JSON.readTree(Files.readString(dir.resolve("stack.json")));
        if (!stack.has("control-plane") || !stack.path("proxy").has("pg_port")) {
            throw new IllegalStateException(dir + "/stack.json has no control plane or no proxy Postgres port");
        }
        var bench = new ColdStartBenchmark("http://127.0.0.1:" + stack.get("control-plane").get("http_port").asInt(),
                stack.get("proxy").get("pg_port").asInt());
        bench.run(rounds);
    }

    private void run(int rounds) throws Exception {
        JsonNode project = call("POST", "/v1/projects", "{}");
        String projectId = project.get("id").asString();
        try {
            String branch = project.get("branches").get(0).get("id").asString();
            String endpoint = call("POST", "/v1/endpoints", "{\"project_id\": \"" + projectId
                    + "\", \"suspend_timeout_seconds\": -1}").get("id").asString();
            String password = call("POST", "/v1/branches/" + branch + "/roles", "{\"name\": \"" + ROLE + "\"}")
                    .get("password").asString();
            firstRowMillis(endpoint, password);
            System.out.printf("cold start through the proxy (JDBC connect to first row of SELECT 1), endpoint %s%n",
                    endpoint);
            System.out.printf("%-6s %12s %12s%n", "round", "cold ms", "warm ms");
            List<Double> cold = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                call("POST", "/v1/endpoints/" + endpoint + "/suspend", null);
                awaitIdle(endpoint);
                cold.add(firstRowMillis(endpoint, password));
                warm.add(firstRowMillis(endpoint, password));
                System.out.printf("%-6d %12.0f %12.0f%n", round, cold.getLast(), warm.getLast());
            }
            System.out.printf("%-6s %12.0f %12.0f   cold/warm %.1f%n", "median", median(cold), median(warm),
                    median(cold) / median(warm));
        } finally {
            call("DELETE", "/v1/projects/" + projectId, null);
        }
    }

    private double firstRowMillis(String endpoint, String password) throws SQLException {
        var props = new Properties();
        props.setProperty("user", ROLE);
        props.setProperty("password", password);
        props.setProperty("options", "endpoint=" + endpoint);
        props.setProperty("sslmode", "disable");
        props.setProperty("connectTimeout", "180");
        long start = System.nanoTime();
        try (var conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxyPort + "/postgres", props);
                var rs = conn.createStatement().executeQuery("SELECT 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("SELECT 1 returned no row");
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private void awaitIdle(String endpoint) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!"idle".equals(call("GET", "/v1/endpoints/" + endpoint, null).get("state").asString())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("endpoint " + endpoint + " not idle after 2 minutes");
            }
            Thread.sleep(200);
        }
    }

    private JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(controlPlane + path)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body().isBlank() ? "{}" : response.body());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
