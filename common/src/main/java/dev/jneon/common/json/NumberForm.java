package dev.jneon.common.json;

import java.math.BigInteger;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * JSON as an integer within {@code [min, max]} (bounds unsigned up to 2^64-1; values above 2^63-1
 * are carried in a long's bits). Optionally one value ({@code absent}) is written as, and read from,
 * JSON {@code null}. Other tokens, fractions and out-of-range numbers fail with a Jackson exception
 * naming the problem. Immutable and thread-safe.
 */
final class NumberForm<T> {

    private final Class<T> type;
    private final BigInteger min;
    private final BigInteger max;
    private final LongFunction<T> fromLong;
    private final ToLongFunction<T> toLong;
    private final T absent;

    private NumberForm(Class<T> type, BigInteger min, BigInteger max, LongFunction<T> fromLong,
            ToLongFunction<T> toLong, T absent) {
        this.type = type;
        this.min = min;
        this.max = max;
        this.fromLong = fromLong;
        this.toLong = toLong;
        this.absent = absent;
    }

    /** Registers a number form; {@code max} is read as unsigned, {@code absent} may be null. */
    static <T> void register(SimpleModule module, Class<T> type, long min, long max, LongFunction<T> fromLong,
            ToLongFunction<T> toLong, T absent) {
        NumberForm<T> form = new NumberForm<>(type, BigInteger.valueOf(min),
                new BigInteger(Long.toUnsignedString(max)), fromLong, toLong, absent);
        module.addSerializer(type, form.new Writer());
        module.addDeserializer(type, form.new Reader());
    }

    private final class Writer extends StdSerializer<T> {
        Writer() {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializationContext ctxt) {
            if (value.equals(absent)) {
                gen.writeNull();
                return;
            }
            long v = toLong.applyAsLong(value);
            if (v < 0 && min.signum() >= 0) {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(v)));
            } else {
                gen.writeNumber(v);
            }
        }
    }

    private final class Reader extends StdDeserializer<T> {
        Reader() {
            super(type);
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return type.cast(ctxt.handleUnexpectedToken(type, p));
            }
            BigInteger v = p.getBigIntegerValue();
            if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                throw ctxt.weirdNumberException(v, type, "outside " + min + ".." + max);
            }
            try {
                return fromLong.apply(v.longValue());
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdNumberException(v, type, e.getMessage());
            }
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return absent;
        }
    }
}
