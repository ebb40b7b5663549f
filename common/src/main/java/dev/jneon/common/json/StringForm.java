package dev.jneon.common.json;

import java.util.function.Function;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * JSON as a string: the value's {@code toString()} out, its {@code parse} in, also as a map key.
 * A non-string token or a string {@code parse} rejects fails with a Jackson exception carrying the
 * parse error's message. Immutable and thread-safe (stateless functions).
 */
final class StringForm<T> {

    private final Class<T> type;
    private final Function<String, T> parse;

    private StringForm(Class<T> type, Function<String, T> parse) {
        this.type = type;
        this.parse = parse;
    }

    /** Registers serializer, deserializer and key deserializer for {@code type} on {@code module}. */
    static <T> void register(SimpleModule module, Class<T> type, Function<String, T> parse) {
        StringForm<T> form = new StringForm<>(type, parse);
        module.addSerializer(type, form.new Writer());
        module.addDeserializer(type, form.new Reader());
        module.addKeyDeserializer(type, form.new MapKeyReader());
    }

    /** Registers only the map-key deserializer, for types whose values are not strings. */
    static <T> void registerMapKey(SimpleModule module, Class<T> type, Function<String, T> parse) {
        module.addKeyDeserializer(type, new StringForm<>(type, parse).new MapKeyReader());
    }

    private final class Writer extends StdSerializer<T> {
        Writer() {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(value.toString());
        }
    }

    private final class Reader extends StdDeserializer<T> {
        Reader() {
            super(type);
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return type.cast(ctxt.handleUnexpectedToken(type, p));
            }
            String text = p.getString();
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, type, e.getMessage());
            }
        }
    }

    private final class MapKeyReader extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            try {
                return parse.apply(key);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdKeyException(type, key, e.getMessage());
            }
        }
    }
}
