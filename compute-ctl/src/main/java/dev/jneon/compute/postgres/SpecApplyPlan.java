package dev.jneon.compute.postgres;

import static dev.jneon.compute.postgres.SqlText.ident;
import static dev.jneon.compute.postgres.SqlText.literal;
import static dev.jneon.compute.postgres.SqlText.options;

import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.Database;
import dev.jneon.compute.spec.DeltaOperation;
import dev.jneon.compute.spec.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL that makes a running primary's roles and databases match a spec (spec A.7), computed from
 * the spec and the current {@link Catalog} without touching Postgres. In order:
 * create the privileged role ({@code CREATEDB CREATEROLE NOLOGIN BYPASSRLS IN ROLE pg_read_all_data,
 * pg_write_all_data}, no REPLICATION); drop invalid databases; {@code rename_role}; create each
 * missing spec role ({@code INHERIT CREATEROLE CREATEDB BYPASSRLS IN ROLE <privileged>}, LOGIN,
 * SCRAM password) or alter the password of one whose stored verifier differs; {@code delete_db}
 * (un-template, {@code DROP DATABASE ... WITH (FORCE)}) and {@code rename_db}; create missing spec
 * databases (plus {@code GRANT ALL} to the privileged role) or change their owner; for each role to
 * delete, in {@code postgres} and every connectable spec database, {@code REASSIGN OWNED} to the database owner and
 * {@code DROP OWNED}; finally {@code DROP ROLE IF EXISTS}. Identifiers are always double-quoted.
 * Immutable.
 *
 * @param statements what to run, in order; each in its own autocommit transaction
 */
public record SpecApplyPlan(List<Statement> statements) {

    /** Database where statements that are not per-database run. */
    public static final String ADMIN_DATABASE = "postgres";

    /** One SQL statement and the database it must run in. */
    public record Statement(String database, String sql) {}

    public SpecApplyPlan {
        statements = List.copyOf(statements);
    }

    /** Roles a spec may not touch: ours and Postgres' own. */
    static boolean reserved(String role, String privileged) {
        return role.equals(PgHbaConf.ADMIN_ROLE) || role.equals(PgHbaConf.WALPROPOSER_ROLE) || role.equals(privileged)
                || role.startsWith("pg_");
    }

    public static SpecApplyPlan of(ComputeSpec spec, Catalog catalog, String privileged) {
        List<Statement> out = new ArrayList<>();
        Map<String, String> roles = new HashMap<>(catalog.rolePasswords());
        Map<String, Catalog.DatabaseInfo> dbs = new HashMap<>(catalog.databases());
        Set<String> deleteRoles = new LinkedHashSet<>();
        for (DeltaOperation op : spec.deltaOperations()) {
            if (op.action().equals("delete_role")) {
                deleteRoles.add(op.name());
            }
        }
        for (Role r : spec.cluster().roles()) {
            if (reserved(r.name(), privileged)) {
                throw new IllegalArgumentException("the spec may not manage reserved role '" + r.name() + "'");
            }
        }

        if (!roles.containsKey(privileged)) {
            admin(out, "CREATE ROLE " + ident(privileged) + " CREATEDB CREATEROLE NOLOGIN BYPASSRLS IN ROLE"
                    + " pg_read_all_data, pg_write_all_data");
            roles.put(privileged, null);
        }
        for (var e : catalog.databases().entrySet()) {
            if (e.getValue().invalid()) {
                admin(out, "DROP DATABASE IF EXISTS " + ident(e.getKey()));
                dbs.remove(e.getKey());
            }
        }
        for (DeltaOperation op : spec.deltaOperations()) {
            if (op.action().equals("rename_role") && roles.containsKey(op.name()) && !roles.containsKey(op.newName())) {
                admin(out, "ALTER ROLE " + ident(op.name()) + " RENAME TO " + ident(op.newName()));
                roles.remove(op.name());
                roles.put(op.newName(), null); // Postgres may clear the password on rename: set it again below
            }
        }
        for (Role r : spec.cluster().roles()) {
            if (deleteRoles.contains(r.name())) {
                continue;
            }
            String password = r.encryptedPassword() == null ? "NULL" : literal(r.encryptedPassword());
            String opts = options(r.options());
            if (!roles.containsKey(r.name())) {
                admin(out, "CREATE ROLE " + ident(r.name()) + " INHERIT CREATEROLE CREATEDB BYPASSRLS IN ROLE "
                        + ident(privileged) + (opts.isEmpty() ? "" : " " + opts) + " LOGIN PASSWORD " + password);
                roles.put(r.name(), r.encryptedPassword());
            } else if (!java.util.Objects.equals(roles.get(r.name()), r.encryptedPassword())) {
                admin(out, "ALTER ROLE " + ident(r.name()) + (opts.isEmpty() ? "" : " " + opts) + " LOGIN PASSWORD "
                        + password);
            }
        }
        for (DeltaOperation op : spec.deltaOperations()) {
            switch (op.action()) {
                case "delete_db" -> {
                    if (dbs.containsKey(op.name())) {
                        admin(out, "ALTER DATABASE " + ident(op.name()) + " IS_TEMPLATE false");
                        admin(out, "DROP DATABASE IF EXISTS " + ident(op.name()) + " WITH (FORCE)");
                        dbs.remove(op.name());
                    }
                }
                case "rename_db" -> {
                    if (dbs.containsKey(op.name()) && !dbs.containsKey(op.newName())) {
                        admin(out, "ALTER DATABASE " + ident(op.name()) + " RENAME TO " + ident(op.newName()));
                        dbs.put(op.newName(), dbs.remove(op.name()));
                    }
                }
                default -> { }
            }
        }
        for (Database d : spec.cluster().databases()) {
            Catalog.DatabaseInfo have = dbs.get(d.name());
            if (have == null) {
                String opts = options(d.options());
                admin(out, "CREATE DATABASE " + ident(d.name()) + (opts.isEmpty() ? "" : " " + opts) + " OWNER "
                        + ident(d.owner()));
                admin(out, "GRANT ALL PRIVILEGES ON DATABASE " + ident(d.name()) + " TO " + ident(privileged));
                dbs.put(d.name(), new Catalog.DatabaseInfo(d.owner(), false, false));
            } else if (!have.owner().equals(d.owner())) {
                admin(out, "ALTER DATABASE " + ident(d.name()) + " OWNER TO " + ident(d.owner()));
                dbs.put(d.name(), new Catalog.DatabaseInfo(d.owner(), have.restrictConn(), have.invalid()));
            }
        }
        List<String> doomed = deleteRoles.stream().filter(roles::containsKey).toList();
        if (!doomed.isEmpty()) {
            Set<String> visit = new java.util.TreeSet<>();
            visit.add(ADMIN_DATABASE);
            spec.cluster().databases().forEach(d -> visit.add(d.name()));
            for (String name : visit) {
                Catalog.DatabaseInfo db = dbs.get(name);
                if (db == null || db.restrictConn() || db.invalid()) {
                    continue;
                }
                for (String role : doomed) {
                    if (db.owner().equals(role)) {
                        continue;
                    }
                    String heir = name.equals(ADMIN_DATABASE) ? PgHbaConf.ADMIN_ROLE : db.owner();
                    out.add(new Statement(name, "REASSIGN OWNED BY " + ident(role) + " TO " + ident(heir)));
                    out.add(new Statement(name, "DROP OWNED BY " + ident(role)));
                }
            }
            for (String role : doomed) {
                admin(out, "DROP ROLE IF EXISTS " + ident(role));
            }
        }
        return new SpecApplyPlan(out);
    }

    private static void admin(List<Statement> out, String sql) {
        out.add(new Statement(ADMIN_DATABASE, sql));
    }
}
