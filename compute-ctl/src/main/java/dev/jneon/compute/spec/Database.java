package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A database of the cluster spec (spec A.3), owned by a role. Immutable. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Database(String name, String owner, List<GenericOption> options) {

    public Database {
        SpecChecks.name("database", name);
        SpecChecks.name("owner of database " + name, owner);
        options = options == null ? List.of() : List.copyOf(options);
    }
}
