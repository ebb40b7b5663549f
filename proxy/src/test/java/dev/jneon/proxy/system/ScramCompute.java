package dev.jneon.proxy.system;

import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL 15 acting as the compute (and, for the {@code postgres} auth backend, as the
 * control plane): SCRAM-SHA-256 required on TCP for every role but the superuser, which the
 * backend uses to read {@code pg_authid}; role {@value #ROLE} with password {@value #PASSWORD}.
 * Stopped by {@link #close()}. Not thread-safe.
 */
final class ScramCompute implements AutoCloseable {

    static final String ROLE = "alice";
    static final String PASSWORD = "Sup3r secret";

    final PgCluster cluster;

    ScramCompute(Path dir) throws IOException {
        cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), dir.resolve("pgdata"));
        cluster.initdb(List.of());
        Files.writeString(cluster.dataDir().resolve("pg_hba.conf"), """
                local all all trust
                host all cloud_admin 127.0.0.1/32 trust
                host all all 127.0.0.1/32 scram-sha-256
                """);
        cluster.configure(Map.of("max_connections", "300", "password_encryption", "'scram-sha-256'"));
        cluster.start(freePort());
        cluster.psql("postgres", "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
        cluster.psql("postgres", "GRANT ALL ON DATABASE postgres TO " + ROLE);
        cluster.psql("postgres", "GRANT ALL ON SCHEMA public TO " + ROLE);
    }

    int port() {
        return cluster.port();
    }

    /** The {@code postgres} auth backend's URL for this cluster. */
    String authUrl() {
        return "postgresql://" + PgCluster.SUPERUSER + "@127.0.0.1:" + port() + "/postgres";
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        cluster.stop("immediate");
    }
}
