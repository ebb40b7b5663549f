package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real safekeeper: {@code safekeeper/target/safekeeper.jar} run as a child JVM on ports picked at
 * construction (kept across restarts), with its own data directory and log file. Talks to its HTTP
 * management API with plain JSON text. Not thread-safe: one test thread drives it.
 */
final class SafekeeperProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LSN_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([0-9A-Fa-f]+/[0-9A-Fa-f]+)\"");

    final int nodeId;
    final Path dataDir;
    final int httpPort;
    final int grpcPort;
    private final Path jar;
    private final Path log;
    private Process process;

    SafekeeperProcess(int nodeId, Path base) throws IOException {
        this.jar = jar();
        this.nodeId = nodeId;
        this.dataDir = Files.createDirectories(base.resolve("sk" + nodeId));
        this.log = base.resolve("sk" + nodeId + ".log");
        this.httpPort = freePort();
        this.grpcPort = freePort();
    }

    /** The safekeeper jar of this repository; fails with how to build it if it is missing. */
    static Path jar() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path repo = Files.exists(dir.resolve("safekeeper")) ? dir : dir.getParent();
        Path jar = repo.resolve("safekeeper").resolve("target").resolve("safekeeper.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -DskipTests -pl safekeeper -am package` first");
        }
        return jar;
    }

    SafekeeperAddress address() {
        return new SafekeeperAddress("127.0.0.1", grpcPort);
    }

    /** Starts the process and waits (bounded) until {@code /v1/status} answers 200. */
    void start() throws Exception {
        var cmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-jar", jar.toString(),
                "--server.port=" + httpPort, "--jneon.grpc.port=" + grpcPort, "--jneon.node.id=" + nodeId,
                "--jneon.safekeeper.data-dir=" + dataDir);
        process = cmd.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        for (int i = 0; i < 1200; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("safekeeper " + nodeId + " exited " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                if (get("/v1/status").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("safekeeper " + nodeId + " did not answer /v1/status in 120 s:\n"
                + Files.readString(log));
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    void createTimeline(TenantTimelineId ttid, int pgVersion, long systemId, Lsn start) throws Exception {
        String body = "{\"tenant_id\":\"" + ttid.tenantId() + "\",\"timeline_id\":\"" + ttid.timelineId()
                + "\",\"pg_version\":" + pgVersion + ",\"system_id\":" + systemId + ",\"start_lsn\":\"" + start + "\"}";
        var response = HTTP.send(HttpRequest.newBuilder(uri("/v1/tenant/timeline"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("create timeline on safekeeper " + nodeId + ": " + response.statusCode()
                    + " " + response.body());
        }
    }

    /** An LSN field ({@code flush_lsn}, {@code commit_lsn}, ...) of the timeline's HTTP status. */
    Lsn lsn(TenantTimelineId ttid, String field) throws Exception {
        var response = get("/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("timeline status on safekeeper " + nodeId + ": " + response.statusCode()
                    + " " + response.body());
        }
        Matcher m = LSN_FIELD.matcher(response.body());
        while (m.find()) {
            if (m.group(1).equals(field)) {
                return Lsn.parse(m.group(2));
            }
        }
        throw new IllegalStateException("no " + field + " in " + response.body());
    }

    /** The timeline's WAL directory: {@code <data-dir>/<tenant>/<timeline>}. */
    Path walDir(TenantTimelineId ttid) {
        return dataDir.resolve(ttid.tenantId().toString()).resolve(ttid.timelineId().toString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** Stops the process by PID: SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
