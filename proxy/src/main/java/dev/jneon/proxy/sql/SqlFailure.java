package dev.jneon.proxy.sql;

import tools.jackson.databind.node.ObjectNode;

/** A request that ends with an error answer: its HTTP status and JSON body. Immutable. */
final class SqlFailure extends Exception {

    private final int status;
    private final transient ObjectNode body;

    SqlFailure(int status, ObjectNode body) {
        super(body.toString());
        this.status = status;
        this.body = body;
    }

    static SqlFailure user(String message, String code) {
        return new SqlFailure(400, SqlResponses.error(message, code));
    }

    static SqlFailure service(String message) {
        return new SqlFailure(500, SqlResponses.error(message, null));
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        return body;
    }
}
