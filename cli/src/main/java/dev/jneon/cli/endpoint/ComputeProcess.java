package dev.jneon.cli.endpoint;

import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * The compute-ctl process of one endpoint: started detached (in its own session, so it outlives the
 * CLI), its pid in {@code compute.pid}, its output in {@code compute.log}, and a marker argument on
 * its command line so a stale pid file never makes the CLI signal an unrelated process.
 * Not thread-safe.
 */
final class ComputeProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dir;
    private final String marker;

    ComputeProcess(Path dir) {
        this.dir = dir;
        this.marker = "-Djneon.launcher.process=" + dir.toAbsolutePath();
    }

    Path log() {
        return dir.resolve("compute.log");
    }

    /** The live process of this endpoint, if any. */
    Optional<ProcessHandle> running() {
        Path pidFile = dir.resolve("compute.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts compute-ctl from {@code jar} with {@code args}; returns its pid. */
    long start(Path jar, List<String> args) {
        var cmd = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                marker, "-jar", jar.toString()));
        cmd.addAll(args);
        try {
            Files.writeString(log(), "=== jneon: starting compute-ctl\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Files.writeString(dir.resolve("compute.pid"), p.pid() + "\n");
            return p.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until compute-ctl's {@code /status} says {@code running}; fails with the error it reports
     * ({@code failed}) or the tail of its log if it exits or {@code timeout} passes.
     */
    void awaitRunning(JsonHttp http, String statusUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (running().isEmpty()) {
                throw CliException.failed("compute-ctl exited before running (" + last + "):\n" + tail());
            }
            try {
                JsonNode status = http.get(statusUrl);
                last = status.path("status").asString("?");
                if (last.equals("running")) {
                    return;
                }
                if (last.equals("failed")) {
                    throw CliException.failed("compute failed: " + status.path("error").asString("") + "\n" + tail());
                }
            } catch (CliException notYet) {
                if (notYet.getMessage().startsWith("compute failed")) {
                    throw notYet;
                }
            }
            sleep(200);
        }
        throw CliException.failed("compute did not reach running in " + timeout.toSeconds() + " s (last state " + last
                + "):\n" + tail());
    }

    /** Waits for the process to exit after a terminate; SIGTERM, then SIGKILL, if it does not. */
    void awaitExit(Duration timeout) {
        var process = running();
        if (process.isEmpty()) {
            return;
        }
        ProcessHandle p = process.get();
        if (!waitFor(p, timeout)) {
            p.destroy();
            if (!waitFor(p, STOP_GRACE)) {
                p.destroyForcibly();
                waitFor(p, STOP_GRACE);
            }
        }
    }

    private static boolean waitFor(ProcessHandle p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    String tail() {
        try {
            String text = Files.readString(log());
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted");
        }
    }
}
