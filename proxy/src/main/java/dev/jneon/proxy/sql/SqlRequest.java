package dev.jneon.proxy.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A decoded {@code POST /sql} body (B.13): one statement {@code {"query", "params"?, "arrayMode"?}} or a batch
 * {@code {"queries": [...]}} run in one transaction. Parameters become text: null stays NULL, strings are sent
 * verbatim, numbers, booleans and objects as their JSON text, arrays as PostgreSQL array literals with
 * JSON-quoted string elements. Immutable.
 */
record SqlRequest(List<Statement> statements, boolean batch) {

    /** One statement with its text parameters (null = NULL). */
    record Statement(String sql, List<String> params, Optional<Boolean> arrayMode) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    SqlRequest {
        statements = List.copyOf(statements);
    }

    static SqlRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
        if (root.has("queries")) {
            JsonNode queries = root.get("queries");
            if (!queries.isArray()) {
                throw new IllegalArgumentException("\"queries\" must be an array");
            }
            List<Statement> out = new ArrayList<>();
            for (JsonNode q : queries) {
                out.add(statement(q));
            }
            return new SqlRequest(out, true);
        }
        return new SqlRequest(List.of(statement(root)), false);
    }

    private static Statement statement(JsonNode node) {
        JsonNode query = node.get("query");
        if (query == null || !query.isString()) {
            throw new IllegalArgumentException("\"query\" must be a string");
        }
        List<String> params = new ArrayList<>();
        JsonNode p = node.get("params");
        if (p != null && !p.isNull()) {
            if (!p.isArray()) {
                throw new IllegalArgumentException("\"params\" must be an array");
            }
            for (JsonNode value : p) {
                params.add(param(value));
            }
        }
        JsonNode arrayMode = node.get("arrayMode");
        return new Statement(query.asString(), params,
                arrayMode != null && arrayMode.isBoolean() ? Optional.of(arrayMode.asBoolean()) : Optional.empty());
    }

    static String param(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isArray()) {
            return arrayLiteral(value);
        }
        return value.toString();
    }

    private static String arrayLiteral(JsonNode array) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : array) {
            if (e.isNull()) {
                parts.add("NULL");
            } else if (e.isArray()) {
                parts.add(arrayLiteral(e));
            } else if (e.isString()) {
                parts.add(JSON.writeValueAsString(e.asString()));
            } else if (e.isObject()) {
                parts.add(JSON.writeValueAsString(e.toString()));
            } else {
                parts.add(e.toString());
            }
        }
        return "{" + String.join(",", parts) + "}";
    }
}
