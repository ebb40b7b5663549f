package dev.jneon.common.pg.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One local PostgreSQL data directory and the postmaster running on it, driven through the real
 * binaries ({@code initdb}, {@code pg_ctl}, {@code psql}). Listens on 127.0.0.1 only, on the port
 * the caller picks. Not thread-safe; owned by whoever created it, who must {@link #stop} it.
 */
public final class PgCluster implements AutoCloseable {

    /** The superuser initdb creates, as in Neon. */
    public static final String SUPERUSER = "cloud_admin";

    private final PgBinaries binaries;
    private final Path dataDir;
    private int port = -1;

    public PgCluster(PgBinaries binaries, Path dataDir) {
        this.binaries = binaries;
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return port;
    }

    public PgBinaries binaries() {
        return binaries;
    }

    /** Runs initdb with C.UTF-8, superuser {@link #SUPERUSER}, trust auth on loopback, plus {@code extraArgs}. */
    public void initdb(List<String> extraArgs) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        binaries.handOver(dataDir);
        List<String> args = new ArrayList<>(List.of("-D", dataDir.toString(), "-U", SUPERUSER, "--encoding", "utf8",
                "--locale", "C.UTF-8", "--auth", "trust", "--no-instructions", "--no-sync"));
        args.addAll(extraArgs);
        run(binaries.command("initdb", args), Duration.ofMinutes(2));
    }

    /** Appends settings to postgresql.conf (values are written verbatim, quote strings yourself). */
    public void configure(Map<String, String> settings) {
        StringBuilder sb = new StringBuilder("\n# jneon\n");
        settings.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), sb.toString(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the postmaster on 127.0.0.1:{@code port} and waits until it accepts connections. */
    public void start(int port) {
        this.port = port;
        String opts = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dataDir;
        run(binaries.command("pg_ctl", List.of("-D", dataDir.toString(), "-o", opts, "-l",
                dataDir.resolve("postgres.log").toString(), "-w", "-t", "60", "start")), Duration.ofSeconds(90));
    }

    /** Stops the postmaster; {@code mode} is {@code fast}, {@code smart} or {@code immediate}. */
    public void stop(String mode) {
        if (port < 0 || !Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        run(binaries.command("pg_ctl", List.of("-D", dataDir.toString(), "-m", mode, "-w", "-t", "60", "stop")),
                Duration.ofSeconds(90));
    }

    /** Runs {@code sql} through psql as the superuser on database {@code db}; returns unaligned output. */
    public String psql(String db, String sql) {
        return run(binaries.command("psql", List.of("-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", SUPERUSER, "-d", db, "-c", sql)), Duration.ofMinutes(10));
    }

    /** The JDBC URL of database {@code db} on this cluster. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=" + SUPERUSER;
    }

    @Override
    public void close() {
        stop("immediate");
    }

    /** Runs a command to completion; fails with its output if it exits non-zero or runs past {@code timeout}. */
    public static String run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            var out = new java.io.ByteArrayOutputStream();
            Thread pump = Thread.ofVirtual().start(() -> {
                try (var in = p.getInputStream()) {
                    in.transferTo(out);
                } catch (IOException ignored) {
                    // the process ended; what was read is kept
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command));
            }
            pump.join();
            String output = out.toString(StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + output);
            }
            return output.strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
