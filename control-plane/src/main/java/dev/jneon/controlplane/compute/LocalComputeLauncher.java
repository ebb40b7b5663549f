package dev.jneon.controlplane.compute;

import dev.jneon.controlplane.ControlPlaneProperties;
import dev.jneon.controlplane.client.JsonClient;
import dev.jneon.controlplane.registry.Endpoint;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each compute as a local compute-ctl process (in its own session, so computes outlive a
 * control-plane restart), from {@code <compute.dir>/<endpoint id>/}: {@code config.json},
 * {@code pgdata/}, {@code compute.log} (appended), {@code compute.pid}. Every process carries
 * {@code -Djneon.launcher.process=<that dir>} on its command line, so a stale pid never makes the
 * launcher signal an unrelated process (and {@code ./jneon down} finds them). A Postgres left
 * behind by a SIGKILLed compute-ctl is killed before the next start on its PGDATA.
 * Thread-safe: calls for one endpoint are serialized by the caller.
 */
public final class LocalComputeLauncher implements ComputeLauncher {

    private static final Logger log = LoggerFactory.getLogger(LocalComputeLauncher.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ControlPlaneProperties.Compute settings;
    private final ComputeCtlClient ctl;

    public LocalComputeLauncher(ControlPlaneProperties.Compute settings, ComputeCtlClient ctl) {
        if (settings.jar() == null || !Files.isRegularFile(settings.jar())) {
            throw new IllegalArgumentException("jneon.control-plane.compute.jar: compute-ctl jar not found at "
                    + settings.jar());
        }
        if (settings.dir() == null) {
            throw new IllegalArgumentException("jneon.control-plane.compute.dir is required");
        }
        this.settings = settings;
        this.ctl = ctl;
    }

    /** The directory of {@code endpointId}'s compute. */
    public Path dir(String endpointId) {
        return settings.dir().toAbsolutePath().resolve(endpointId);
    }

    @Override
    public ComputeHandle start(Endpoint endpoint, String computeId, Map<String, Object> config) {
        Path dir = dir(endpoint.id());
        try {
            Files.createDirectories(dir);
            stopLeftovers(dir);
            Files.writeString(dir.resolve("config.json"),
                    JsonClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            Files.writeString(log(dir), "=== control-plane: starting compute " + computeId + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var cmd = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + settings.maxHeap(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", marker(dir), "-jar", settings.jar().toString(),
                "--pgdata=" + dir.resolve("pgdata"),
                "--connstr=postgresql://cloud_admin@" + endpoint.host() + ":" + endpoint.pgPort() + "/postgres",
                "--compute-id=" + computeId, "--config=" + dir.resolve("config.json"),
                "--server.port=" + endpoint.httpPort(), "--server.address=127.0.0.1", "--jneon.compute.linger=1s"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log(dir).toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Files.writeString(dir.resolve("compute.pid"), p.pid() + "\n");
        } catch (IOException e) {
            throw new ComputeStartFailed("cannot run compute-ctl: " + e.getMessage());
        }
        var handle = new ComputeHandle(endpoint.id(), computeId, p.pid(), endpoint.host(), endpoint.pgPort(),
                endpoint.httpPort());
        awaitRunning(handle, dir);
        return handle;
    }

    private void awaitRunning(ComputeHandle handle, Path dir) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!isAlive(handle)) {
                stop(handle);
                throw new ComputeStartFailed("compute-ctl exited before running (" + last + "): " + tail(dir));
            }
            var status = ctl.status(handle.api());
            if (status.isPresent()) {
                last = status.get().status();
                if (status.get().running()) {
                    return;
                }
                if (last.equals("failed")) {
                    stop(handle);
                    throw new ComputeStartFailed("compute failed: " + status.get().error());
                }
            }
            sleep(100);
        }
        stop(handle);
        throw new ComputeStartFailed("compute did not reach running in " + settings.startTimeout().toSeconds()
                + " s (last state " + last + ")");
    }

    @Override
    public boolean isAlive(ComputeHandle compute) {
        return process(compute.pid(), dir(compute.endpointId())).isPresent();
    }

    @Override
    public void stop(ComputeHandle compute) {
        Path dir = dir(compute.endpointId());
        Optional<ProcessHandle> process = process(compute.pid(), dir);
        if (process.isPresent()) {
            ctl.terminate(compute.api(), true);
            ProcessHandle p = process.get();
            if (!waitFor(p, STOP_GRACE)) {
                p.destroy();
                if (!waitFor(p, STOP_GRACE)) {
                    log.warn("compute {} (pid {}) ignored SIGTERM for {} s; killing it", compute.computeId(), p.pid(),
                            STOP_GRACE.toSeconds());
                    p.destroyForcibly();
                    waitFor(p, STOP_GRACE);
                }
            }
        }
        stopOrphanPostgres(dir);
    }

    @Override
    public void discard(String endpointId) {
        Path dir = dir(endpointId);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot remove {} of deleted endpoint {}: {}", dir, endpointId, e.toString());
        }
    }

    /** Before a start: whatever compute-ctl or Postgres still runs from this directory. */
    private void stopLeftovers(Path dir) throws IOException {
        Path pidFile = dir.resolve("compute.pid");
        if (Files.isRegularFile(pidFile)) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                process(pid, dir).ifPresent(p -> {
                    log.warn("compute-ctl pid {} of {} still runs before a new start; killing it", pid, dir);
                    p.destroyForcibly();
                    waitFor(p, STOP_GRACE);
                });
            } catch (NumberFormatException garbled) {
                log.warn("ignoring unreadable {}", pidFile);
            }
        }
        stopOrphanPostgres(dir);
    }

    /** SIGKILLs a postmaster still running on {@code dir/pgdata} (its compute-ctl died without stopping it). */
    private static void stopOrphanPostgres(Path dir) {
        Path pidFile = dir.resolve("pgdata").resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .ifPresent(p -> {
                        log.warn("killing postmaster {} left running on {}", pid, pidFile.getParent());
                        p.destroyForcibly();
                        waitFor(p, STOP_GRACE);
                    });
        } catch (IOException | RuntimeException unreadable) {
            log.debug("no postmaster to clean up in {}: {}", dir, unreadable.toString());
        }
    }

    private static Optional<ProcessHandle> process(long pid, Path dir) {
        String marker = marker(dir);
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false));
    }

    private static String marker(Path dir) {
        return "-Djneon.launcher.process=" + dir.toAbsolutePath();
    }

    private static Path log(Path dir) {
        return dir.resolve("compute.log");
    }

    private static String tail(Path dir) {
        try {
            String text = Files.readString(log(dir));
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log)";
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComputeStartFailed("interrupted while waiting for the compute");
        }
    }
}
