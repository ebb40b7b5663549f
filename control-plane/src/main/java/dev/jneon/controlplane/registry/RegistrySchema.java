package dev.jneon.controlplane.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The registry's schema in the control plane's PostgreSQL database and the step that brings a
 * database up to the version this build expects.
 *
 * <p>Persisted format: plain SQL migrations on the classpath, {@code db/registry/V<n>.sql} for
 * n = 1..{@link #CURRENT_VERSION}, and table {@code registry_version(version integer primary key,
 * applied_at timestamptz)}, one row per applied migration. Version history:
 * <ol>
 *   <li>projects, branches, endpoints (state, ports, pid, last_active), roles (SCRAM verifiers) and
 *       databases, each role and database with a {@code deleted} mark that becomes a delta operation.
 * </ol>
 *
 * <p>Crash story: each migration runs in one transaction with its version row, so a crash leaves
 * the old or the new version. Control planes starting together serialize on an advisory lock. A
 * database newer than this build is refused. Immutable; thread-safe.
 */
public final class RegistrySchema {

    /** The schema version this build reads and writes. */
    public static final int CURRENT_VERSION = 1;

    /** Advisory lock key held while migrating ("jneoncp" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6a6e656f6e6370L;

    private final DataSource dataSource;

    public RegistrySchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Applies every missing migration; returns the version the database is at afterwards. */
    public int ensureCurrent() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                    PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, MIGRATION_LOCK);
                lock.execute();
                s.execute("create table if not exists registry_version (version integer primary key,"
                        + " applied_at timestamptz not null default now())");
                int found;
                try (ResultSet rs = s.executeQuery("select coalesce(max(version), 0) from registry_version")) {
                    rs.next();
                    found = rs.getInt(1);
                }
                if (found > CURRENT_VERSION) {
                    throw new IllegalStateException("control plane database is at registry version " + found
                            + ", newer than this build's " + CURRENT_VERSION + "; refusing to use it");
                }
                for (int v = found + 1; v <= CURRENT_VERSION; v++) {
                    s.execute(migration(v));
                    s.execute("insert into registry_version (version) values (" + v + ")");
                }
                c.commit();
                return CURRENT_VERSION;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bring the control plane database to registry version "
                    + CURRENT_VERSION + ": " + e.getMessage(), e);
        }
    }

    private static String migration(int version) {
        String name = "db/registry/V" + version + ".sql";
        try (InputStream in = RegistrySchema.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
