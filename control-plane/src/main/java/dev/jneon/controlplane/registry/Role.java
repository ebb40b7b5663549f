package dev.jneon.controlplane.registry;

/**
 * A Postgres role of a branch. Immutable.
 *
 * @param branchId its branch
 * @param name     role name
 * @param secret   SCRAM-SHA-256 verifier ({@code SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>})
 * @param deleted  deleted by the user: computes get a {@code delete_role} operation until it is re-created
 */
public record Role(String branchId, String name, String secret, boolean deleted) {

    public Role {
        Names.check("role", name);
        if (!secret.startsWith("SCRAM-SHA-256$")) {
            throw new IllegalArgumentException("role secret must be a SCRAM-SHA-256 verifier");
        }
    }
}
