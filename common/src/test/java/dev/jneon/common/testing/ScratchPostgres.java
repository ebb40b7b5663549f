package dev.jneon.common.testing;

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

/**
 * A throwaway PostgreSQL 15 for a test: a temp directory, initdb (trust for the superuser on loopback), fsync
 * off, on a free 127.0.0.1 port. {@code hbaLines} are put before the default rules, e.g.
 * {@code host all alice 127.0.0.1/32 scram-sha-256} to make a role authenticate with SCRAM. {@link #close} stops
 * the postmaster and deletes the directory. Not thread-safe; owned by the test class that starts it.
 */
public final class ScratchPostgres implements AutoCloseable {

    private final Path base;
    private final PgCluster cluster;

    private ScratchPostgres(Path base, PgCluster cluster) {
        this.base = base;
        this.cluster = cluster;
    }

    public static ScratchPostgres start(String name, List<String> hbaLines) throws IOException {
        Path base = Files.createTempDirectory("jneon-" + name);
        var cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), base.resolve("data"));
        var scratch = new ScratchPostgres(base, cluster);
        try {
            cluster.initdb(List.of());
            Path hba = cluster.dataDir().resolve("pg_hba.conf");
            Files.writeString(hba, String.join("\n", hbaLines) + "\n" + Files.readString(hba));
            cluster.configure(Map.of("fsync", "off"));
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            cluster.start(port);
            return scratch;
        } catch (IOException | RuntimeException e) {
            scratch.close();
            throw e;
        }
    }

    public PgCluster cluster() {
        return cluster;
    }

    public int port() {
        return cluster.port();
    }

    /** {@code postgresql://<superuser>@127.0.0.1:<port>/postgres}. */
    public String superuserUrl() {
        return "postgresql://" + PgCluster.SUPERUSER + "@127.0.0.1:" + port() + "/postgres";
    }

    public Path base() {
        return base;
    }

    @Override
    public void close() throws IOException {
        cluster.stop("immediate");
        try (var paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
