package dev.jneon.proxy.sql;

import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Turns a text-format value into JSON by its type OID (B.13): bool to true/false; int2 and int4 to numbers;
 * float4 and float8 to numbers except {@code NaN} and {@code ±Infinity}, which stay strings; json and jsonb
 * embedded; arrays of those types to JSON arrays by element type (dimension prefix dropped); every other type
 * (int8, numeric, dates, text, ...) to its text, so no precision is lost; NULL to null. Stateless and
 * thread-safe.
 */
final class PgTextToJson {

    static final int BOOL = 16;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int JSON = 114;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int JSONB = 3802;

    /** Array type OID to element type OID, for the built-in array types. */
    static final Map<Integer, Integer> ARRAY_ELEMENTS = Map.ofEntries(
            Map.entry(1000, BOOL), Map.entry(1005, INT2), Map.entry(1007, INT4), Map.entry(199, JSON),
            Map.entry(1021, FLOAT4), Map.entry(1022, FLOAT8), Map.entry(3807, JSONB), Map.entry(1016, 20),
            Map.entry(1009, 25), Map.entry(1015, 1043), Map.entry(1014, 1042), Map.entry(1003, 19),
            Map.entry(1231, 1700), Map.entry(1028, 26), Map.entry(1182, 1082), Map.entry(1115, 1114),
            Map.entry(1185, 1184), Map.entry(2951, 2950), Map.entry(1183, 1083), Map.entry(1187, 1186),
            Map.entry(1001, 17), Map.entry(1002, 18), Map.entry(1041, 869), Map.entry(651, 650));

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private PgTextToJson() {
    }

    static JsonNode convert(String text, int typeOid) {
        if (text == null) {
            return NODES.nullNode();
        }
        Integer element = ARRAY_ELEMENTS.get(typeOid);
        if (element != null) {
            return array(PgArrayText.parse(text), element);
        }
        return switch (typeOid) {
            case BOOL -> NODES.booleanNode(text.equals("t"));
            case INT2, INT4 -> NODES.numberNode(Integer.parseInt(text));
            case FLOAT4, FLOAT8 -> floating(text);
            case JSON, JSONB -> json(text);
            default -> NODES.stringNode(text);
        };
    }

    private static JsonNode floating(String text) {
        double d = Double.parseDouble(text);
        return Double.isFinite(d) ? NODES.numberNode(d) : NODES.stringNode(text);
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return NODES.stringNode(text);
        }
    }

    private static ArrayNode array(List<Object> items, int element) {
        ArrayNode out = NODES.arrayNode();
        for (Object item : items) {
            if (item instanceof List<?> nested) {
                @SuppressWarnings("unchecked")
                List<Object> inner = (List<Object>) nested;
                out.add(array(inner, element));
            } else {
                out.add(convert((String) item, element));
            }
        }
        return out;
    }
}
