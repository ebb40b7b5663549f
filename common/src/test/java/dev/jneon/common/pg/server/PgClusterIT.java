package dev.jneon.common.pg.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.pg.PgMajorVersion;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgClusterIT {

    @Test
    void runsRealPostgresOnLoopback() throws Exception {
        Path base = Files.createTempDirectory("jneon-pgcluster");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), base.resolve("data"))) {
            cluster.initdb(List.of());
            cluster.configure(Map.of("fsync", "off"));
            cluster.start(port);
            assertThat(cluster.psql("postgres", "select 40 + 2")).isEqualTo("42");
            cluster.stop("fast");
        } finally {
            try (var paths = Files.walk(base)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
