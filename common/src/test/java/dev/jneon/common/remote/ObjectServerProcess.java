package dev.jneon.common.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One object-storage test server (s3rver or Azurite, run by Node.js) listening on a loopback port
 * with its data in a directory: started, killed with SIGKILL by PID and restarted on the same port and
 * data. Output goes to {@code target/object-servers/<name>-<port>.log} (kept for diagnosis). Not thread-safe; owned by {@link ObjectServers}.
 */
public final class ObjectServerProcess {

    private static final long STARTUP_LIMIT_MILLIS = 60_000;

    private final String name;
    private final IntFunction<List<String>> command;
    private final Map<String, String> environment;
    private final Path dataDir;
    private final int port;
    private Process process;

    private ObjectServerProcess(String name, IntFunction<List<String>> command, Map<String, String> environment,
                                Path dataDir, int port) {
        this.name = name;
        this.command = command;
        this.environment = Map.copyOf(environment);
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts {@code command(port)} (with extra environment variables) on a free loopback port; waits until it listens. */
    static ObjectServerProcess start(String name, IntFunction<List<String>> command, Map<String, String> environment,
                                     Path dataDir) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dataDir);
        ObjectServerProcess server = new ObjectServerProcess(name, command, environment, dataDir, port);
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL by PID, as a crash would; waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Starts the server again on the same port and data directory. */
    void restart() throws IOException {
        launch();
    }

    /** Kills the server (it keeps no state worth a graceful stop). */
    void stop() throws InterruptedException {
        kill();
    }

    private void launch() throws IOException {
        List<String> args = new ArrayList<>(command.apply(port));
        Path log = Files.createDirectories(Path.of("target", "object-servers")).resolve(name + "-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.currentTimeMillis() + STARTUP_LIMIT_MILLIS;
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " at start; see " + log
                        + ": " + tail(log));
            }
            if (System.currentTimeMillis() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within "
                        + STARTUP_LIMIT_MILLIS + " ms; see " + log + ": " + tail(log));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while starting " + name, e);
            }
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + "[127.0.0.1:" + port + ", pid " + (process == null ? "-" : process.pid()) + "]";
    }
}
