package dev.jneon.cli.stack;

import dev.jneon.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the services of a stack started by {@code ./jneon up} listen, read from its
 * {@code stack.json}. All on 127.0.0.1. Immutable.
 *
 * @param dir         the stack directory
 * @param pageserver  the pageserver's HTTP and gRPC ports
 * @param safekeepers the safekeepers in id order
 * @param endpointStorage endpoint storage's HTTP port; null if the stack runs none
 */
public record Stack(Path dir, Service pageserver, List<Service> safekeepers, Service endpointStorage) {

    /** One service: node id, HTTP port, gRPC port (0 if none). */
    public record Service(long id, int httpPort, int grpcPort) {

        public String httpBase() {
            return "http://127.0.0.1:" + httpPort;
        }

        public String grpcAddress() {
            return "127.0.0.1:" + grpcPort;
        }
    }

    public static Stack read(Path dir) {
        Path file = dir.resolve("stack.json");
        if (!Files.isRegularFile(file)) {
            throw CliException.failed("no stack in " + dir + ": run ./jneon up first");
        }
        JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
        Service pageserver = null;
        Service endpointStorage = null;
        List<Service> safekeepers = new ArrayList<>();
        for (var entry : root.properties()) {
            JsonNode p = entry.getValue();
            if (p.get("pid").isNull() || !p.has("service")) {
                continue;
            }
            var service = new Service(p.get("id").asLong(), p.get("http_port").asInt(),
                    p.has("grpc_port") ? p.get("grpc_port").asInt() : 0);
            switch (p.get("service").asString()) {
                case "pageserver" -> pageserver = service;
                case "safekeeper" -> safekeepers.add(service);
                case "endpoint-storage" -> endpointStorage = service;
                default -> { }
            }
        }
        if (pageserver == null) {
            throw CliException.failed("the stack in " + dir + " has no running pageserver: run ./jneon up");
        }
        safekeepers.sort(Comparator.comparingLong(Service::id));
        return new Stack(dir, pageserver, List.copyOf(safekeepers), endpointStorage);
    }
}
