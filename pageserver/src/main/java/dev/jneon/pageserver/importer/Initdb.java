package dev.jneon.pageserver.importer;

import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs PostgreSQL's initdb the way Neon does for a bootstrap (spec F.3): superuser
 * {@code cloud_admin}, UTF-8, locale C.UTF-8, no instructions, no fsync (the result is imported
 * and thrown away), optionally with data checksums. Stateless.
 */
public final class Initdb {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private Initdb() {}

    /** The initdb arguments for data directory {@code pgdata}. */
    public static List<String> arguments(Path pgdata, boolean dataChecksums) {
        List<String> args = new ArrayList<>(List.of("--pgdata", pgdata.toString(), "--username", PgCluster.SUPERUSER,
                "--encoding", "utf8", "--locale", "C.UTF-8", "--no-instructions", "--no-sync"));
        if (dataChecksums) {
            args.add("--data-checksums");
        }
        return args;
    }

    /** Creates a fresh cluster in {@code pgdata}, which must not exist yet. */
    public static void run(PgBinaries binaries, Path pgdata, boolean dataChecksums) {
        try {
            Files.createDirectories(pgdata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + pgdata, e);
        }
        binaries.handOver(pgdata);
        PgCluster.run(binaries.command("initdb", arguments(pgdata, dataChecksums)), TIMEOUT);
    }
}
