package dev.jneon.proxy.sql;

import java.util.Map;

/**
 * An ErrorResponse from the compute: its fields by protocol code ({@code S} severity, {@code C} SQLSTATE,
 * {@code M} message, {@code D} detail, {@code H} hint, {@code P} position, {@code p} internal position,
 * {@code q} internal query, {@code W} where, {@code s} schema, {@code t} table, {@code c} column, {@code d} data
 * type, {@code n} constraint, {@code F} file, {@code L} line, {@code R} routine). Immutable.
 */
public final class PgError extends Exception {

    private final Map<Character, String> fields;

    PgError(Map<Character, String> fields) {
        super(fields.getOrDefault('M', "unknown error"));
        this.fields = Map.copyOf(fields);
    }

    public Map<Character, String> fields() {
        return fields;
    }

    /** The SQLSTATE, or empty. */
    public String code() {
        return fields.getOrDefault('C', "");
    }
}
