package dev.jneon.safekeeper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One safekeeper started from {@code safekeeper/target/safekeeper.jar} as a separate JVM on free
 * loopback ports, with its own data directory (kept across {@link #restart}). Stopped by its PID.
 * Not thread-safe; owned by one test.
 */
public final class SafekeeperProcess implements AutoCloseable {

    private final long nodeId;
    private final Path dataDir;
    private final Path log;
    private final int httpPort;
    private final int grpcPort;
    private Process process;

    public SafekeeperProcess(long nodeId, Path baseDir) throws Exception {
        this.nodeId = nodeId;
        this.dataDir = baseDir.resolve("sk" + nodeId);
        this.log = baseDir.resolve("sk" + nodeId + ".log");
        this.httpPort = freePort();
        this.grpcPort = freePort();
        Files.createDirectories(dataDir);
        launch();
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("user.dir")).resolve("target/safekeeper.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -DskipTests package` (e.g. `mvn -q -B "
                    + "-DskipTests -pl safekeeper -am package`) before this test");
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Launches the process (again) and waits until it answers {@code /v1/status}. */
    public void start() throws Exception {
        launch();
        awaitReady();
    }

    /** Launches the process without waiting; see {@link #awaitReady()}. */
    public void launch() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar().toString(),
                "--server.port=" + httpPort, "--jneon.grpc.port=" + grpcPort, "--jneon.node.id=" + nodeId,
                "--jneon.safekeeper.data-dir=" + dataDir))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits (at most 2 minutes) until the process answers {@code /v1/status}. */
    public void awaitReady() throws Exception {
        for (int i = 0; i < 1200; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("safekeeper " + nodeId + " exited: " + Files.readString(log));
            }
            try (var client = HttpClient.newHttpClient()) {
                var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/status"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("safekeeper " + nodeId + " did not answer within 2 minutes: " + Files.readString(log));
    }

    /** SIGKILL by PID: a crash, nothing is flushed on the way out. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    public void restart() throws Exception {
        kill();
        start();
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
