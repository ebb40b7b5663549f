package dev.jneon.controller;

import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code storage_controller} created. Register it as a static {@code @RegisterExtension} field; it
 * stops the server and deletes its directory after the class. Not thread-safe; owned by the test class.
 */
public final class LocalPostgres implements BeforeAllCallback, AfterAllCallback {

    public static final String DATABASE = "storage_controller";

    private Path base;
    private PgCluster cluster;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        base = Files.createTempDirectory("jneon-controller-db");
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), base.resolve("data"));
        cluster.initdb(List.of());
        cluster.configure(Map.of("fsync", "off"));
        start();
        cluster.psql("postgres", "create database " + DATABASE);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            cluster.stop("immediate");
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(LocalPostgres::delete);
            }
        }
    }

    /** JDBC URL of {@code db} (user {@link PgCluster#SUPERUSER}, trust auth). */
    public String jdbcUrl(String db) {
        return cluster.jdbcUrl(db);
    }

    /** Runs SQL through psql as the superuser; returns unaligned output. */
    public String psql(String db, String sql) {
        return cluster.psql(db, sql);
    }

    /** Stops the server (fast shutdown); {@link #start()} brings it back on the same port. */
    public void stop() {
        cluster.stop("fast");
    }

    public void start() {
        cluster.start(port);
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
