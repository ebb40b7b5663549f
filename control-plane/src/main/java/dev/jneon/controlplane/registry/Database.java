package dev.jneon.controlplane.registry;

/**
 * A database of a branch. Immutable.
 *
 * @param branchId its branch
 * @param name     database name
 * @param owner    owning role (a role of the branch)
 * @param deleted  deleted by the user: computes get a {@code delete_db} operation until it is re-created
 */
public record Database(String branchId, String name, String owner, boolean deleted) {

    public Database {
        Names.check("database", name);
        Names.check("owner role", owner);
    }
}
