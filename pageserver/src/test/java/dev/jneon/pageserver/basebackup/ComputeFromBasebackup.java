package dev.jneon.pageserver.basebackup;

import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Test fixture: a real PostgreSQL 15 started from a basebackup tar the way a compute does it —
 * extracted with GNU tar into an empty 0700 directory, a minimal postgresql.conf written next to it
 * (port, 127.0.0.1, the socket in the data directory) — plus the checks the basebackup tests share.
 * Closing stops Postgres immediately; the caller removes the directory (a @TempDir).
 */
final class ComputeFromBasebackup implements AutoCloseable {

    final PgCluster pg;
    final Path pgdata;

    private ComputeFromBasebackup(PgCluster pg, Path pgdata) {
        this.pg = pg;
        this.pgdata = pgdata;
    }

    static ComputeFromBasebackup start(PgBinaries binaries, Path tar, Path pgdata) throws IOException {
        Files.createDirectories(pgdata);
        Files.setPosixFilePermissions(pgdata, PosixFilePermissions.fromString("rwx------"));
        PgCluster.run(List.of("tar", "-xf", tar.toString(), "-C", pgdata.toString()), Duration.ofMinutes(5));
        int port = freePort();
        Files.writeString(pgdata.resolve("postgresql.conf"), "port = " + port + "\nlisten_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = '" + pgdata + "'\nfsync = off\nautovacuum = off\n");
        binaries.handOver(pgdata);
        PgCluster pg = new PgCluster(binaries, pgdata);
        pg.start(port);
        return new ComputeFromBasebackup(pg, pgdata);
    }

    /** The server log so far. */
    String log() {
        try {
            return Files.readString(pgdata.resolve("postgres.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pg_amcheck of every database (installing amcheck where missing); its output, failing on any corruption. */
    String amcheck(boolean heapAllIndexed) {
        List<String> args = new java.util.ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(pg.port()),
                "-U", PgCluster.SUPERUSER, "--all", "--install-missing", "--progress"));
        if (heapAllIndexed) {
            args.add("--heapallindexed");
        }
        return PgCluster.run(pg.binaries().command("pg_amcheck", args), Duration.ofMinutes(10));
    }

    /** A schema-and-data dump of {@code db} (plain format, fixed \\restrict key so dumps compare). */
    static String dump(PgCluster cluster, String db, List<String> extraArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(cluster.port()),
                "-U", PgCluster.SUPERUSER, "--no-sync", "--restrict-key=jneon"));
        args.addAll(extraArgs);
        args.add(db);
        return PgCluster.run(cluster.binaries().command("pg_dump", args), Duration.ofMinutes(10));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        pg.close();
    }
}
