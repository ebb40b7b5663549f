package dev.jneon.controlplane.system;

import dev.jneon.common.testing.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A storage broker, a pageserver, three safekeepers and a control plane, each from its packaged jar,
 * with the control plane's registry in {@code registryJdbcUrl} and its computes under
 * {@code <base>/computes}. {@link #close()} stops the computes it left running (compute-ctl by the
 * pid in each endpoint directory, then any Postgres left on a PGDATA), then the services. Not
 * thread-safe; owned by one test class.
 */
final class ControlPlaneStack implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final Path base;
    final ServiceProcess broker;
    final ServiceProcess pageserver;
    final List<ServiceProcess> safekeepers = new ArrayList<>();
    final ServiceProcess controlPlane;

    ControlPlaneStack(String registryJdbcUrl, String... controlPlaneArgs) throws Exception {
        base = Files.createTempDirectory("jneon-cplane-it");
        broker = new ServiceProcess("storage-broker", "broker", base).start();
        String brokerAddress = "127.0.0.1:" + broker.grpcPort();
        pageserver = new ServiceProcess("pageserver", "pageserver", base)
                .with("--jneon.pageserver.data-dir=" + base.resolve("pageserver"),
                        "--jneon.pageserver.broker-endpoint=http://" + brokerAddress)
                .maxHeap("384m").start();
        for (int i = 1; i <= 3; i++) {
            safekeepers.add(new ServiceProcess("safekeeper", "sk" + i, base)
                    .with("--jneon.node.id=" + i, "--jneon.safekeeper.data-dir=" + base.resolve("sk" + i),
                            "--jneon.safekeeper.broker.endpoint=" + brokerAddress)
                    .start());
        }
        controlPlane = new ServiceProcess("control-plane", "control-plane", base).with(
                "--spring.datasource.url=" + registryJdbcUrl,
                "--jneon.control-plane.storage.pageserver-http=" + pageserver.httpBase(),
                "--jneon.control-plane.storage.pageserver-grpc=127.0.0.1:" + pageserver.grpcPort(),
                "--jneon.control-plane.storage.safekeeper-http=" + String.join(",",
                        safekeepers.stream().map(ServiceProcess::httpBase).toList()),
                "--jneon.control-plane.storage.safekeeper-grpc=" + String.join(",",
                        safekeepers.stream().map(sk -> "127.0.0.1:" + sk.grpcPort()).toList()),
                "--jneon.control-plane.compute.jar=" + ServiceProcess.jar("compute-ctl"),
                "--jneon.control-plane.compute.dir=" + base.resolve("computes"),
                "--jneon.control-plane.compute.first-port=" + ServiceProcess.freePort(),
                "--jneon.control-plane.compute.port-count=40",
                "--jneon.control-plane.suspend.check-interval=1s")
                .with(controlPlaneArgs).start();
    }

    /** A request to the control plane; the status and JSON body. */
    Answer call(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = controlPlane.send(method, path, json);
        return new Answer(r.statusCode(), r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
    }

    /** Like {@link #call} but fails unless the answer is 2xx. */
    JsonNode ok(String method, String path, String json) throws IOException, InterruptedException {
        Answer a = call(method, path, json);
        if (a.status() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + a.status() + ": " + a.body() + "\n"
                    + controlPlane.tail());
        }
        return a.body();
    }

    record Answer(int status, JsonNode body) {}

    @Override
    public void close() throws Exception {
        stopLeftoverComputes();
        controlPlane.close();
        for (ServiceProcess sk : safekeepers) {
            sk.close();
        }
        pageserver.close();
        broker.close();
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void stopLeftoverComputes() throws IOException {
        Path computes = base.resolve("computes");
        if (!Files.isDirectory(computes)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(computes)) {
            for (Path dir : dirs.toList()) {
                kill(dir.resolve("compute.pid"), "-Djneon.launcher.process=" + dir.toAbsolutePath());
                kill(dir.resolve("pgdata").resolve("postmaster.pid"), null);
            }
        }
    }

    private static void kill(Path pidFile, String marker) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> marker == null
                        ? p.info().command().map(c -> c.endsWith("/postgres")).orElse(false)
                        : p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
    }
}
