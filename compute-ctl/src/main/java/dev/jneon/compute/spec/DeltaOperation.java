package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A rename or drop the control plane asks for (spec A.3 {@code delta_operations}). Immutable.
 *
 * @param action  {@code delete_db}, {@code rename_db}, {@code delete_role} or {@code rename_role}
 * @param newName the new name for the renames, null otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeltaOperation(String action, String name, @JsonProperty("new_name") String newName) {

    public DeltaOperation {
        if (action == null || !switch (action) {
            case "delete_db", "rename_db", "delete_role", "rename_role" -> true;
            default -> false;
        }) {
            throw new IllegalArgumentException("unknown delta operation '" + action + "'");
        }
        SpecChecks.name(action, name);
        if (action.startsWith("rename_")) {
            SpecChecks.name(action + " new_name", newName);
        }
    }
}
