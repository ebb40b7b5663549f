package dev.jneon.controlplane;

import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: a real PostgreSQL 15 on a free loopback port for one test class, with database
 * {@code control_plane}; stopped and deleted after the class. Register as a static
 * {@code @RegisterExtension} field. Not thread-safe; owned by the test class.
 */
public final class RegistryDatabase implements BeforeAllCallback, AfterAllCallback {

    public static final String DATABASE = "control_plane";

    private Path base;
    private PgCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        base = Files.createTempDirectory("jneon-cplane-db");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), base.resolve("data"));
        cluster.initdb(List.of());
        cluster.configure(Map.of("fsync", "off"));
        cluster.start(port);
        cluster.psql("postgres", "create database " + DATABASE);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            cluster.stop("immediate");
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** JDBC URL of the registry database (user {@link PgCluster#SUPERUSER}, trust auth). */
    public String jdbcUrl() {
        return cluster.jdbcUrl(DATABASE);
    }

    public String psql(String sql) {
        return cluster.psql(DATABASE, sql);
    }
}
