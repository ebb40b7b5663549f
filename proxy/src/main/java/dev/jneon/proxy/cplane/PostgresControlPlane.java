package dev.jneon.proxy.cplane;

import dev.jneon.common.scram.ScramSecret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code postgres} auth backend (B.4, for tests): one Postgres is both the control plane and the compute. A
 * role's secret is its {@code pg_authid.rolpassword} (SCRAM verifiers only; md5 or no password means no secret);
 * the allowlist is the comma list in {@code neon_control_plane.endpoints(endpoint_id, allowed_ips)} for the
 * normalized endpoint (no table or no row: everyone); wake answers that same Postgres, plaintext, {@code warm}.
 * The URL's user must be able to read {@code pg_authid} (a superuser). One short JDBC connection per call.
 * Thread-safe.
 */
public final class PostgresControlPlane implements ControlPlane {

    private final PostgresUrl url;

    public PostgresControlPlane(PostgresUrl url) {
        this.url = url;
    }

    @Override
    public NodeInfo wakeCompute(EndpointId endpoint, NeonOptions options, CallContext context) {
        return new NodeInfo(url.host(), url.port(), Optional.empty(),
                new ComputeAux(endpoint.value(), "", "", "", ComputeAux.ColdStart.WARM));
    }

    @Override
    public EndpointAccess accessControl(EndpointId endpoint, String role, CallContext context)
            throws ControlPlaneError {
        try (Connection c = connect()) {
            return EndpointAccess.of(secret(c, role), allowedIps(c, endpoint.normalized()));
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            throw ControlPlaneError.transport("auth Postgres " + url + ": " + e.getMessage(), state.startsWith("08"));
        }
    }

    private Connection connect() throws SQLException {
        var props = new Properties();
        props.setProperty("user", url.user());
        props.setProperty("password", url.password());
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", "jneon-proxy");
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    private static Optional<ScramSecret> secret(Connection c, String role) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT rolpassword FROM pg_catalog.pg_authid WHERE rolname = ?")) {
            s.setString(1, role);
            try (ResultSet rs = s.executeQuery()) {
                String text = rs.next() ? rs.getString(1) : null;
                if (text == null || !text.startsWith(ScramSecret.PREFIX)) {
                    return Optional.empty();
                }
                return Optional.of(ScramSecret.parse(text));
            }
        }
    }

    private static AllowedIps allowedIps(Connection c, String endpoint) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass('neon_control_plane.endpoints') IS NOT NULL");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return AllowedIps.all();
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT allowed_ips FROM neon_control_plane.endpoints WHERE endpoint_id = ?")) {
            s.setString(1, endpoint);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? AllowedIps.parseList(rs.getString(1)) : AllowedIps.all();
            }
        }
    }
}
