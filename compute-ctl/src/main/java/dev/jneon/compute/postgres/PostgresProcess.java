package dev.jneon.compute.postgres;

import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute's postmaster ({@code postgres -D PGDATA}), run in the foreground as a child of this
 * JVM (through {@code runuser} when the JVM is root, see {@link PgBinaries}). Its output is logged
 * line by line with the prefix {@code PG:}. Ready when the last line of {@code postmaster.pid} is
 * {@code ready} (or {@code standby} for a hot standby), polled every 100 ms, bounded by
 * {@value #READY_TIMEOUT_SECONDS} s (spec A.5 step 10). Stopped with {@code pg_ctl stop} in the
 * requested mode, which signals the postmaster by the PID in {@code postmaster.pid}.
 *
 * <p>Thread-safe: the process handle is final after {@link #start}; {@link #exited()} completes
 * with the exit code on the JVM's process reaper thread.
 */
public final class PostgresProcess {

    static final int READY_TIMEOUT_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger("PG");

    private final PgBinaries binaries;
    private final Path pgdata;
    private final Process process;
    private final CompletableFuture<Integer> exited;

    private PostgresProcess(PgBinaries binaries, Path pgdata, Process process) {
        this.binaries = binaries;
        this.pgdata = pgdata;
        this.process = process;
        this.exited = process.onExit().thenApply(Process::exitValue);
    }

    /** Starts the postmaster on {@code pgdata} (already configured) and waits until it is ready. */
    public static PostgresProcess start(PgBinaries binaries, Path pgdata) throws IOException, InterruptedException {
        return start(binaries, pgdata, line -> { });
    }

    /** Like {@link #start(PgBinaries, Path)}; {@code onLine} also hears every output line (on the log thread). */
    public static PostgresProcess start(PgBinaries binaries, Path pgdata, java.util.function.Consumer<String> onLine)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binaries.command("postgres", List.of("-D", pgdata.toString())))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        Thread.ofVirtual().name("pg-log").start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.info("PG: {}", line);
                    onLine.accept(line);
                }
            } catch (IOException ignored) {
                // the postmaster is gone; its exit is reported through exited()
            }
        });
        var pg = new PostgresProcess(binaries, pgdata, p);
        pg.awaitReady();
        return pg;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("postgres exited with code " + process.exitValue() + " during start-up"
                        + " (its log lines are prefixed PG:)");
            }
            String status = pidFileStatus();
            if ("ready".equals(status) || "standby".equals(status)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                stop("immediate");
                throw new IOException("postgres was not ready after " + READY_TIMEOUT_SECONDS + " s (status "
                        + status + ")");
            }
            Thread.sleep(100);
        }
    }

    /** The status line of {@code postmaster.pid} (its last line), or null while it is missing. */
    private String pidFileStatus() throws IOException {
        try {
            List<String> lines = Files.readAllLines(pgdata.resolve("postmaster.pid"));
            return lines.size() >= 8 ? lines.getLast().strip() : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Completes with the postmaster's exit code when it exits, for whatever reason. */
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * {@code pg_ctl stop -m <mode>} ({@code fast}: SIGINT, {@code immediate}: SIGQUIT), waits up to
     * {@code wait} for the postmaster to exit; returns whether it did.
     */
    public boolean stop(String mode, Duration wait) throws InterruptedException {
        if (process.isAlive()) {
            try {
                PgCluster.run(binaries.command("pg_ctl", List.of("-D", pgdata.toString(), "-m", mode, "-W", "stop")),
                        Duration.ofSeconds(30));
            } catch (IllegalStateException e) {
                log.warn("pg_ctl stop -m {} failed: {}", mode, e.getMessage());
            }
        }
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops in {@code mode}; if the postmaster is still there after 30 s, immediate; then kills. */
    public void stop(String mode) throws InterruptedException {
        if (!stop(mode, Duration.ofSeconds(30)) && !stop("immediate", Duration.ofSeconds(30))) {
            postmasterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The postmaster's PID from the first line of {@code postmaster.pid} (not runuser's). */
    private java.util.Optional<Long> postmasterPid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).getFirst()
                    .strip()));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Reloads the configuration files ({@code pg_ctl reload}). */
    public void reload() {
        PgCluster.run(binaries.command("pg_ctl", List.of("-D", pgdata.toString(), "reload")), Duration.ofSeconds(30));
    }
}
