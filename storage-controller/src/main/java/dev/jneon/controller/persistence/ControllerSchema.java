package dev.jneon.controller.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The storage controller's schema in its PostgreSQL database, and the step that brings a database
 * up to the version this build expects.
 *
 * <p>Persisted format: table {@code schema_version(version integer primary key, description text
 * not null, applied_at timestamptz not null default now())}, one row per applied version; the
 * database's version is the largest {@code version}. Version history:
 * <ol>
 *   <li>the {@code schema_version} table itself (baseline; the controller's state tables arrive with
 *       the features that use them).
 * </ol>
 *
 * <p>Crash story: every version is applied in one transaction together with its
 * {@code schema_version} row, so a crash leaves the database at the old or the new version, never
 * between. Controllers starting at the same time serialize on a transaction-scoped advisory lock.
 * A database at a newer version than {@link #CURRENT_VERSION} was written by a newer controller and
 * is refused rather than used.
 *
 * <p>Immutable; {@link #ensureCurrent()} may be called from any thread.
 */
public final class ControllerSchema {

    /** The schema version this build reads and writes. */
    public static final int CURRENT_VERSION = 1;

    /** Advisory lock key held while the schema is checked or changed ("jneonsc" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6a6e656f6e7363L;

    private record Step(int version, String description, List<String> statements) {}

    private static final List<Step> STEPS = List.of(
            new Step(1, "schema_version table", List.of()));

    private final DataSource dataSource;

    public ControllerSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the schema if the database is empty and applies every missing version.
     *
     * @return the version the database is at afterwards, always {@link #CURRENT_VERSION}
     * @throws IllegalStateException if the database is at a newer version than this build knows
     */
    public int ensureCurrent() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int found = lockAndReadVersion(c);
                if (found > CURRENT_VERSION) {
                    throw new IllegalStateException("storage controller database is at schema version " + found
                            + ", newer than this build's " + CURRENT_VERSION + "; refusing to use it");
                }
                for (Step step : STEPS) {
                    if (step.version() > found) {
                        apply(c, step);
                    }
                }
                c.commit();
                return CURRENT_VERSION;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bring the storage controller database to schema version "
                    + CURRENT_VERSION + ": " + e.getMessage(), e);
        }
    }

    /** The version the database is at, 0 if it has no schema yet. */
    public int version() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet exists = s.executeQuery("select to_regclass('schema_version') is not null")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return 0;
            }
            return readVersion(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the storage controller schema version: " + e.getMessage(), e);
        }
    }

    private static int lockAndReadVersion(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, MIGRATION_LOCK);
            lock.execute();
        }
        try (Statement s = c.createStatement()) {
            s.execute("create table if not exists schema_version ("
                    + "version integer primary key, "
                    + "description text not null, "
                    + "applied_at timestamptz not null default now())");
        }
        return readVersion(c);
    }

    private static int readVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(max(version), 0) from schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void apply(Connection c, Step step) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : step.statements()) {
                s.execute(sql);
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "insert into schema_version (version, description) values (?, ?)")) {
            insert.setInt(1, step.version());
            insert.setString(2, step.description());
            insert.executeUpdate();
        }
    }
}
