package dev.jneon.compute.postgres;

import java.util.Map;

/**
 * What the running Postgres has, as far as spec apply cares (spec A.7): each role's stored password
 * ({@code pg_authid.rolpassword}, null if none) and each database's owner and flags. Immutable.
 */
public record Catalog(Map<String, String> rolePasswords, Map<String, DatabaseInfo> databases) {

    public Catalog {
        rolePasswords = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(rolePasswords));
        databases = Map.copyOf(databases);
    }

    /**
     * @param owner        the owning role
     * @param restrictConn {@code NOT datallowconn}
     * @param invalid      {@code datconnlimit = -2}: a half-dropped database
     */
    public record DatabaseInfo(String owner, boolean restrictConn, boolean invalid) {}

    /** The SQL that reads a {@link Catalog}'s roles: name, password. */
    static final String ROLES_QUERY = "SELECT rolname, rolpassword FROM pg_catalog.pg_authid";
    /** The SQL that reads a {@link Catalog}'s databases: name, owner, restrict_conn, invalid. */
    static final String DATABASES_QUERY = "SELECT datname, pg_catalog.pg_get_userbyid(datdba), NOT datallowconn,"
            + " datconnlimit = -2 FROM pg_catalog.pg_database";
}
