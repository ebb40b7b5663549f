package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A role of the cluster spec (spec A.3). {@code encryptedPassword} is a SCRAM-SHA-256 verifier
 * ({@code SCRAM-SHA-256$<iterations>:<salt>$<stored>:<server>}) or null for a role without password;
 * jneon authenticates with SCRAM only, so MD5 hashes are refused. Immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Role(String name, @JsonProperty("encrypted_password") String encryptedPassword,
        List<GenericOption> options) {

    public static final String SCRAM_PREFIX = "SCRAM-SHA-256$";

    public Role {
        SpecChecks.name("role", name);
        if (encryptedPassword != null && !encryptedPassword.startsWith(SCRAM_PREFIX)) {
            throw new IllegalArgumentException("encrypted_password of role '" + name
                    + "' must be a SCRAM-SHA-256 verifier (jneon does not accept MD5 hashes)");
        }
        options = options == null ? List.of() : List.copyOf(options);
    }
}
