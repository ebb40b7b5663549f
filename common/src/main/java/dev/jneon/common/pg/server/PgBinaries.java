package dev.jneon.common.pg.server;

import dev.jneon.common.pg.PgMajorVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PostgreSQL server binaries of one major version, and how to run them. Postgres refuses to
 * run as root, so when this JVM is root every command runs as an unprivileged user
 * ({@code JNEON_PG_USER}, default {@code postgres}) through {@code runuser}, and the directories
 * Postgres writes are handed to that user with {@link #handOver(Path)}. Immutable.
 *
 * <p>The binary directory is {@code JNEON_PG_BIN} if set, else Debian's
 * {@code /usr/lib/postgresql/<major>/bin}.
 */
public record PgBinaries(PgMajorVersion version, Path binDir, String runAsUser) {

    public static PgBinaries of(PgMajorVersion version) {
        String env = System.getenv("JNEON_PG_BIN");
        Path bin = env != null && !env.isBlank() ? Path.of(env) : Path.of("/usr/lib/postgresql", version.toString(), "bin");
        if (!Files.isExecutable(bin.resolve("postgres"))) {
            throw new IllegalStateException("PostgreSQL " + version + " binaries not found in " + bin
                    + ": install postgresql-" + version + " or set JNEON_PG_BIN");
        }
        String user = null;
        if ("root".equals(System.getProperty("user.name"))) {
            String configured = System.getenv("JNEON_PG_USER");
            user = configured != null && !configured.isBlank() ? configured : "postgres";
        }
        return new PgBinaries(version, bin, user);
    }

    /** The command line that runs {@code tool} (e.g. {@code initdb}) with {@code args}, as the right user. */
    public List<String> command(String tool, List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (runAsUser != null) {
            cmd.addAll(List.of("runuser", "-u", runAsUser, "--"));
        }
        cmd.add(binDir.resolve(tool).toString());
        cmd.addAll(args);
        return cmd;
    }

    public Path tool(String tool) {
        return binDir.resolve(tool);
    }

    /**
     * Gives {@code dir} and everything below it to the Postgres user, and lets that user traverse
     * the parent directories up to the filesystem root. No-op when not running as root.
     */
    public void handOver(Path dir) {
        if (runAsUser == null) {
            return;
        }
        try {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAsUser);
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Files.setOwner(p, owner);
                }
            }
            for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                var perms = Files.getPosixFilePermissions(p);
                if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + dir + " over to user " + runAsUser, e);
        }
    }
}
