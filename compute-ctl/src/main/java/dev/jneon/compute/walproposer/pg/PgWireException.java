package dev.jneon.compute.walproposer.pg;

import java.io.IOException;

/** Postgres answered with an ErrorResponse (or the connection broke the protocol). */
public final class PgWireException extends IOException {

    private final String sqlState;

    public PgWireException(String sqlState, String message) {
        super(sqlState == null ? message : message + " (SQLSTATE " + sqlState + ")");
        this.sqlState = sqlState;
    }

    /** The five-character SQLSTATE, or null if the error did not come from the server. */
    public String sqlState() {
        return sqlState;
    }
}
