package dev.jneon.proxy.bench;

import dev.jneon.common.pg.server.PgBinaries;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PgBouncer (the Debian package's {@code /usr/sbin/pgbouncer}) in front of one PostgreSQL, as the
 * baseline {@link ProxyBenchmark} compares the proxy with: session pooling, SCRAM-SHA-256 with the
 * role's password in its auth file, listening on 127.0.0.1 only. It refuses to run as root, so it
 * runs as the same unprivileged user as Postgres ({@link PgBinaries#command}). Stopped by its
 * process handle, never by name. Not thread-safe.
 */
final class PgBouncerProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final int port;

    private PgBouncerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** PgBouncer if the binary is installed, started in {@code dir} in front of 127.0.0.1:{@code pgPort}. */
    static Optional<PgBouncerProcess> startIfInstalled(PgBinaries binaries, Path dir, int pgPort, int port,
            String role, String password) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("users.txt"), "\"" + role + "\" \"" + password + "\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                "postgres = host=127.0.0.1 port=" + pgPort + " dbname=postgres",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + dir.resolve("users.txt"),
                "pool_mode = session",
                "max_client_conn = 200",
                "default_pool_size = 50",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid"),
                ""));
        binaries.handOver(dir);
        List<String> command = new ArrayList<>();
        if (binaries.runAsUser() != null) {
            command.addAll(List.of("runuser", "-u", binaries.runAsUser(), "--"));
        }
        command.addAll(List.of(BINARY.toString(), dir.resolve("pgbouncer.ini").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        var bouncer = new PgBouncerProcess(process, port);
        bouncer.awaitListening(Duration.ofSeconds(20), dir);
        return Optional.of(bouncer);
    }

    int port() {
        return port;
    }

    private void awaitListening(Duration timeout, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("pgbouncer exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("stdout.log")));
            }
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("pgbouncer did not listen on 127.0.0.1:" + port + " within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
