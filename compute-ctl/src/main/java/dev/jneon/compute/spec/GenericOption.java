package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A named option of a role or database, or a Postgres setting (spec A.3). {@code value} may be
 * null (a bare option name); {@code vartype} {@code "string"} means the value is quoted as a literal.
 * Immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenericOption(String name, String value, String vartype) {

    public GenericOption {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an option needs a name");
        }
    }

    public boolean isString() {
        return "string".equals(vartype);
    }
}
