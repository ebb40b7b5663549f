package dev.jneon.compute.node;

import dev.jneon.common.pg.server.PgBinaries;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one compute-ctl process is told on its command line (spec A.1). Immutable.
 *
 * @param pgdata         the data directory, wiped at every start
 * @param port           Postgres' port, taken from {@code --connstr}
 * @param computeId      the compute's id (logged; JWT checks are not done on the loopback API)
 * @param binaries       the Postgres binaries ({@code --pgbin} names the {@code postgres} binary)
 * @param privilegedRole the role granted to user roles ({@code neon_superuser})
 * @param linger         how long the HTTP API keeps answering after the compute ended (fast terminate,
 *                       failure) before the process exits
 */
public record ComputeOptions(Path pgdata, int port, String computeId, PgBinaries binaries, String privilegedRole,
        Duration linger) {

    public ComputeOptions {
        if (pgdata == null || binaries == null || linger == null) {
            throw new IllegalArgumentException("pgdata, binaries and linger are required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid Postgres port " + port);
        }
        if (computeId == null || computeId.isBlank()) {
            throw new IllegalArgumentException("--compute-id is required");
        }
        if (privilegedRole == null || !privilegedRole.matches("^[a-z_]+$")) {
            throw new IllegalArgumentException("privileged role name must match ^[a-z_]+$, got " + privilegedRole);
        }
        pgdata = pgdata.toAbsolutePath();
    }

    /** Postgres' port from a connection URL such as {@code postgresql://cloud_admin@localhost:55433/postgres}. */
    public static int portOf(String connstr) {
        if (connstr == null || connstr.isBlank()) {
            throw new IllegalArgumentException("--connstr is required");
        }
        URI uri = URI.create(connstr);
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--connstr must be a postgresql:// URL, got " + connstr);
        }
        return uri.getPort() < 0 ? 5432 : uri.getPort();
    }
}
