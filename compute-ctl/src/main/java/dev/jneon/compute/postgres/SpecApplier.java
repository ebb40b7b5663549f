package dev.jneon.compute.postgres;

import dev.jneon.compute.spec.ComputeSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs spec apply (spec A.7) against a running primary: reads the {@link Catalog}, computes the
 * {@link SpecApplyPlan} and runs its statements in order over JDBC on loopback as {@code cloud_admin}
 * with {@code default_transaction_read_only=off}, {@code search_path=''} and
 * {@code statement_timeout=0}. The first failing statement fails the apply with its SQL in the
 * message. Not thread-safe: one apply at a time, on the caller's thread.
 */
public final class SpecApplier {

    private static final Logger log = LoggerFactory.getLogger(SpecApplier.class);

    private final int port;
    private final String privilegedRole;

    public SpecApplier(int port, String privilegedRole) {
        this.port = port;
        this.privilegedRole = privilegedRole;
    }

    /** Opens an admin connection to {@code database} (autocommit). */
    public Connection connect(String database) throws SQLException {
        var props = new Properties();
        props.setProperty("user", PgHbaConf.ADMIN_ROLE);
        props.setProperty("options", "-c default_transaction_read_only=off -c search_path= -c statement_timeout=0");
        props.setProperty("ApplicationName", "compute_ctl:apply_config");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    public Catalog readCatalog() throws SQLException {
        try (Connection c = connect(SpecApplyPlan.ADMIN_DATABASE); Statement st = c.createStatement()) {
            Map<String, String> roles = new HashMap<>();
            try (ResultSet rs = st.executeQuery(Catalog.ROLES_QUERY)) {
                while (rs.next()) {
                    roles.put(rs.getString(1), rs.getString(2));
                }
            }
            Map<String, Catalog.DatabaseInfo> dbs = new HashMap<>();
            try (ResultSet rs = st.executeQuery(Catalog.DATABASES_QUERY)) {
                while (rs.next()) {
                    dbs.put(rs.getString(1), new Catalog.DatabaseInfo(rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
            return new Catalog(roles, dbs);
        }
    }

    /** Applies {@code spec}; returns the plan that was run. */
    public SpecApplyPlan apply(ComputeSpec spec) throws SQLException {
        SpecApplyPlan plan = SpecApplyPlan.of(spec, readCatalog(), privilegedRole);
        Map<String, Connection> open = new LinkedHashMap<>();
        try {
            for (SpecApplyPlan.Statement s : plan.statements()) {
                Connection c = open.get(s.database());
                if (c == null) {
                    c = connect(s.database());
                    open.put(s.database(), c);
                }
                try (Statement st = c.createStatement()) {
                    st.execute(s.sql());
                } catch (SQLException e) {
                    throw new SQLException("spec apply failed in database " + s.database() + " at: "
                            + redact(s.sql()) + ": " + e.getMessage(), e.getSQLState(), e);
                }
                log.info("applied in {}: {}", s.database(), redact(s.sql()));
            }
        } finally {
            for (Connection c : open.values()) {
                c.close();
            }
        }
        ensurePrewarmExtension();
        return plan;
    }

    /**
     * {@code CREATE EXTENSION IF NOT EXISTS pg_prewarm} in {@code postgres} (spec A.7 step 10, D.2):
     * prewarm and offload call its functions there. A failure is logged, not thrown: prewarm must
     * never fail the compute (its requests then fail with the reason).
     */
    void ensurePrewarmExtension() {
        try (Connection c = connect(SpecApplyPlan.ADMIN_DATABASE); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm SCHEMA public");
        } catch (SQLException e) {
            log.warn("cannot create extension pg_prewarm (prewarm and offload will fail): {}", e.getMessage());
        }
    }

    /** The statement with any password verifier replaced, for logs and errors. */
    static String redact(String sql) {
        return sql.replaceAll("PASSWORD '[^']*'", "PASSWORD '<redacted>'");
    }
}
