package dev.jneon.proxy.sql;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON bodies of B.13: a statement result ({@code command}, {@code rowCount}, {@code rowAsArray},
 * {@code fields}, {@code rows}), a batch ({@code {"results": [...]}}) and the error body with all seventeen Neon
 * keys (null when absent). Stateless and thread-safe.
 */
final class SqlResponses {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Error body key to ErrorResponse field code. */
    private static final List<Map.Entry<String, Character>> ERROR_KEYS = List.of(Map.entry("message", 'M'),
            Map.entry("code", 'C'), Map.entry("detail", 'D'), Map.entry("hint", 'H'), Map.entry("position", 'P'),
            Map.entry("internalPosition", 'p'), Map.entry("internalQuery", 'q'), Map.entry("severity", 'S'),
            Map.entry("where", 'W'), Map.entry("table", 't'), Map.entry("column", 'c'), Map.entry("schema", 's'),
            Map.entry("dataType", 'd'), Map.entry("constraint", 'n'), Map.entry("file", 'F'), Map.entry("line", 'L'),
            Map.entry("routine", 'R'));

    private SqlResponses() {
    }

    static ObjectNode result(QueryResult r, boolean arrayMode, boolean rawText) {
        ObjectNode out = NODES.objectNode();
        out.put("command", r.command());
        Long count = r.rowCount();
        if (count == null) {
            out.putNull("rowCount");
        } else {
            out.put("rowCount", count);
        }
        out.put("rowAsArray", arrayMode);
        ArrayNode fields = out.putArray("fields");
        for (QueryResult.Field f : r.fields()) {
            ObjectNode field = fields.addObject();
            field.put("name", f.name());
            field.put("dataTypeID", f.typeOid());
            field.put("tableID", f.tableOid());
            field.put("columnID", f.columnNumber());
            field.put("dataTypeSize", f.typeSize());
            field.put("dataTypeModifier", f.typeModifier());
            field.put("format", "text");
        }
        ArrayNode rows = out.putArray("rows");
        for (List<String> row : r.rows()) {
            if (arrayMode) {
                ArrayNode values = rows.addArray();
                for (int i = 0; i < row.size(); i++) {
                    values.add(value(row.get(i), r.fields().get(i).typeOid(), rawText));
                }
            } else {
                ObjectNode values = rows.addObject();
                for (int i = 0; i < row.size(); i++) {
                    values.set(r.fields().get(i).name(), value(row.get(i), r.fields().get(i).typeOid(), rawText));
                }
            }
        }
        return out;
    }

    private static tools.jackson.databind.JsonNode value(String text, int typeOid, boolean rawText) {
        if (rawText) {
            return text == null ? NODES.nullNode() : NODES.stringNode(text);
        }
        return PgTextToJson.convert(text, typeOid);
    }

    static ObjectNode batch(List<ObjectNode> results) {
        ObjectNode out = NODES.objectNode();
        ArrayNode array = out.putArray("results");
        results.forEach(array::add);
        return out;
    }

    /** The Neon error body for a compute error. */
    static ObjectNode error(PgError e) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, Character> key : ERROR_KEYS) {
            String v = e.fields().get(key.getValue());
            if (v == null) {
                out.putNull(key.getKey());
            } else {
                out.put(key.getKey(), v);
            }
        }
        return out;
    }

    /** The Neon error body for an error of ours, with an optional SQLSTATE. */
    static ObjectNode error(String message, String code) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, Character> key : ERROR_KEYS) {
            out.putNull(key.getKey());
        }
        out.put("message", message);
        if (code != null) {
            out.put("code", code);
        }
        return out;
    }

    /** A routing error: {@code {"msg": ...}}. */
    static ObjectNode msg(String message) {
        ObjectNode out = NODES.objectNode();
        out.put("msg", message);
        return out;
    }
}
