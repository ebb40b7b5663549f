package dev.jneon.cli.endpoint;

import dev.jneon.cli.Args;
import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.cli.stack.Stack;
import dev.jneon.cli.state.Branches;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./jneon endpoint create|start|stop|list|connstr}: computes of the local stack, each a
 * compute-ctl process (spec A) with its own PGDATA under {@code <stack>/endpoints/<name>/}.
 * {@code create --autoprewarm} makes every start reload the buffer list last offloaded to endpoint
 * storage; {@code --offload-interval S} offloads it every S seconds while running (spec D).
 * Postgres listens on 127.0.0.1 at the endpoint's {@code pg_port}; compute-ctl's HTTP API at its
 * {@code http_port}.
 */
public final class EndpointCommand {

    private static final int FIRST_PG_PORT = 55432;
    private static final int FIRST_HTTP_PORT = 3080;

    private final Stack stack;
    private final JsonHttp http;
    private final PrintStream out;
    private final Path computeJar;

    /** @param computeJar compute-ctl's jar; null when the command does not start computes */
    public EndpointCommand(Stack stack, JsonHttp http, PrintStream out, Path computeJar) {
        this.stack = stack;
        this.http = http;
        this.out = out;
        this.computeJar = computeJar;
    }

    public void run(String verb, Args args) {
        switch (verb) {
            case "create" -> create(args);
            case "start" -> start(args);
            case "stop" -> stop(args);
            case "list" -> list(args);
            case "connstr" -> connstr(args);
            default -> throw CliException.usage("unknown endpoint command '" + verb
                    + "' (create, start, stop, list, connstr)");
        }
    }

    private void create(Args args) {
        String name = args.positional(0, "endpoint name");
        Branches branches = Branches.load(stack.dir());
        TenantId tenant = branches.tenant(args.option("tenant-id"));
        String branch = args.option("branch-name").orElse("main");
        Lsn lsn = args.option("lsn").map(Lsn::parse).orElse(null);
        var pgPort = args.option("pg-port").map(Integer::parseInt);
        var httpPort = args.option("http-port").map(Integer::parseInt);
        boolean autoprewarm = args.flag("autoprewarm");
        Long offloadInterval = args.option("offload-interval").map(Long::parseLong).orElse(null);
        args.finish(1);
        if ((autoprewarm || offloadInterval != null) && stack.endpointStorage() == null) {
            throw CliException.failed("--autoprewarm and --offload-interval need endpoint storage in the stack");
        }
        Path dir = Endpoint.dir(stack.dir(), name);
        if (Files.exists(dir.resolve("endpoint.json"))) {
            throw CliException.failed("endpoint '" + name + "' already exists");
        }
        Set<Integer> taken = takenPorts();
        var endpoint = new Endpoint(name, tenant, branches.requireTimeline(tenant, branch), branch, lsn,
                pgPort.orElseGet(() -> freePort(FIRST_PG_PORT, taken)),
                httpPort.orElseGet(() -> freePort(FIRST_HTTP_PORT, taken)), autoprewarm, offloadInterval);
        endpoint.save(dir);
        out.println("endpoint " + name + " created on " + branch + " (" + endpoint.mode() + "), port " + endpoint.pgPort());
    }

    private void start(Args args) {
        String name = args.positional(0, "endpoint name");
        long timeoutSeconds = Long.parseLong(args.option("start-timeout").orElse("120"));
        args.finish(1);
        Path dir = existing(name);
        Endpoint e = Endpoint.load(dir);
        var process = new ComputeProcess(dir);
        if (process.running().isPresent()) {
            throw CliException.failed("endpoint '" + name + "' is already running (pid " + process.running().get().pid() + ")");
        }
        if (computeJar == null || !Files.isRegularFile(computeJar)) {
            throw CliException.failed("compute-ctl jar not found (" + computeJar + "): run through ./jneon");
        }
        Path config = dir.resolve("config.json");
        try {
            Files.writeString(config, JsonHttp.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(ComputeConfig.of(e, stack)));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        long pid = process.start(computeJar, List.of("--pgdata=" + dir.resolve("pgdata"), "--connstr=" + e.connstr(),
                "--compute-id=" + e.name(), "--config=" + config, "--server.port=" + e.httpPort(),
                "--server.address=127.0.0.1", "--jneon.compute.linger=1s"));
        process.awaitRunning(http, statusUrl(e), Duration.ofSeconds(timeoutSeconds));
        out.println("endpoint " + name + " running (pid " + pid + "): " + e.connstr());
    }

    private void stop(Args args) {
        String name = args.positional(0, "endpoint name");
        String mode = args.option("mode").orElse("fast");
        boolean destroy = args.flag("destroy");
        args.finish(1);
        if (!mode.equals("fast") && !mode.equals("immediate")) {
            throw CliException.usage("--mode must be fast or immediate");
        }
        Path dir = existing(name);
        Endpoint e = Endpoint.load(dir);
        var process = new ComputeProcess(dir);
        if (process.running().isPresent()) {
            try {
                http.post("http://127.0.0.1:" + e.httpPort() + "/terminate?mode=" + mode, null);
            } catch (CliException refused) {
                out.println("terminate refused (" + refused.getMessage() + "); stopping the process");
            }
            process.awaitExit(Duration.ofSeconds(60));
        }
        if (destroy) {
            deleteTree(dir);
        }
        out.println("endpoint " + name + " stopped" + (destroy ? " and destroyed" : ""));
    }

    private void list(Args args) {
        args.finish(0);
        for (Endpoint e : endpoints()) {
            var process = new ComputeProcess(Endpoint.dir(stack.dir(), e.name()));
            String state = "stopped";
            if (process.running().isPresent()) {
                try {
                    state = http.get(statusUrl(e)).path("status").asString("?");
                } catch (CliException unreachable) {
                    state = "starting";
                }
            }
            out.printf("%-16s %-12s %-22s %-10s %s%n", e.name(), e.branch(), e.mode(), state, e.connstr());
        }
    }

    private void connstr(Args args) {
        String name = args.positional(0, "endpoint name");
        args.finish(1);
        out.println(Endpoint.load(existing(name)).connstr());
    }

    private Path existing(String name) {
        Path dir = Endpoint.dir(stack.dir(), name);
        if (!Files.isRegularFile(dir.resolve("endpoint.json"))) {
            throw CliException.failed("no endpoint '" + name + "': create it with ./jneon endpoint create " + name);
        }
        return dir;
    }

    private String statusUrl(Endpoint e) {
        return "http://127.0.0.1:" + e.httpPort() + "/status";
    }

    private List<Endpoint> endpoints() {
        Path root = stack.dir().resolve("endpoints");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("endpoint.json"))).sorted().map(Endpoint::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<Integer> takenPorts() {
        Set<Integer> taken = new HashSet<>();
        for (Endpoint e : endpoints()) {
            taken.add(e.pgPort());
            taken.add(e.httpPort());
        }
        return taken;
    }

    private static int freePort(int from, Set<Integer> taken) {
        for (int port = from; port < from + 1000; port++) {
            if (taken.contains(port)) {
                continue;
            }
            try (var s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                taken.add(port);
                return port;
            } catch (IOException inUse) {
                // try the next one
            }
        }
        throw CliException.failed("no free port in " + from + ".." + (from + 999));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
