package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;

/**
 * The cluster part of a compute spec (spec A.3): roles, databases, verbatim {@code postgresql.conf}
 * text and settings. Role and database names are unique. Immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cluster(@JsonProperty("cluster_id") String clusterId, String name, List<Role> roles,
        List<Database> databases, @JsonProperty("postgresql_conf") String postgresqlConf,
        List<GenericOption> settings) {

    public Cluster {
        roles = roles == null ? List.of() : List.copyOf(roles);
        databases = databases == null ? List.of() : List.copyOf(databases);
        settings = settings == null ? List.of() : List.copyOf(settings);
        unique("role", roles.stream().map(Role::name).toList());
        unique("database", databases.stream().map(Database::name).toList());
    }

    private static void unique(String what, List<String> names) {
        var seen = new HashSet<String>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException(what + " '" + n + "' appears twice in the cluster spec");
            }
        }
    }

    /** The value of setting {@code name}, or null. */
    public String setting(String name) {
        return settings.stream().filter(s -> s.name().equals(name)).map(GenericOption::value).findFirst().orElse(null);
    }
}
