package dev.jneon.common.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One jneon service run from its packaged jar ({@code <repo>/<module>/target/<module>.jar}) as a
 * child JVM, for tests that need real processes. The HTTP and gRPC ports are picked once, at
 * construction, and kept across restarts, so clients can reconnect to the same address. Output goes
 * to {@code <base>/<name>.log}. Stopping is always by this object's own PID, never by name.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String module;
    private final String name;
    private final Path jar;
    private final Path log;
    private final int httpPort;
    private final int grpcPort;
    private final List<String> args = new ArrayList<>();
    private String maxHeap = "256m";
    private Process process;

    /**
     * @param module the Maven module whose jar to run, e.g. {@code safekeeper}
     * @param name   a name unique in {@code base}, used for the log file, e.g. {@code sk1}
     * @param base   a directory owned by the test
     */
    public ServiceProcess(String module, String name, Path base) throws IOException {
        this.module = module;
        this.name = name;
        this.jar = jar(module);
        this.log = base.resolve(name + ".log");
        this.httpPort = freePort();
        this.grpcPort = freePort();
    }

    /** Adds program arguments (Spring form, {@code --key=value}) used by every later {@link #start()}. */
    public ServiceProcess with(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Sets {@code -Xmx} for later starts; default 256m. */
    public ServiceProcess maxHeap(String xmx) {
        this.maxHeap = xmx;
        return this;
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public String httpBase() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Starts the JVM and waits, bounded by two minutes, until {@code /v1/status} answers 200. */
    public ServiceProcess start() throws IOException, InterruptedException {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--server.port=" + httpPort, "--server.address=127.0.0.1",
                "--jneon.grpc.port=" + grpcPort));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        process.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (get("/v1/status").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not answer /v1/status in 2 minutes:\n" + tail());
    }

    /** SIGKILL: no shutdown hook, no flush. Waits for the process to be gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. Returns the exit code, or -1 if it never ran. */
    public int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        return process.exitValue();
    }

    /** GET on the service's HTTP port; the body as text. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(httpBase() + path)).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a JSON body ({@code POST}, {@code PUT}, {@code DELETE}...); the body as text. */
    public HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        var body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return HTTP.send(HttpRequest.newBuilder(URI.create(httpBase() + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Like {@link #send} but fails with the status and body unless the answer is 2xx. */
    public String call(String method, String path, String json) throws IOException, InterruptedException {
        var response = send(method, path, json);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " on " + name + ": " + response.statusCode() + " "
                    + response.body());
        }
        return response.body();
    }

    /** The last 8 KiB of the log, for failure messages. */
    public String tail() {
        try {
            String text = Files.readString(log);
            return text.length() > 8192 ? text.substring(text.length() - 8192) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    @Override
    public String toString() {
        return name + "(" + module + ", http " + httpPort + ", grpc " + grpcPort + ")";
    }

    /** The packaged jar of {@code module}; fails with how to build it if it is missing. */
    public static Path jar(String module) {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path repo = Files.isDirectory(dir.resolve(module)) ? dir : dir.getParent();
        Path jar = repo.resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -DskipTests -pl " + module + " -am package`");
        }
        return jar;
    }

    /** A port free on 127.0.0.1 right now. */
    public static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
