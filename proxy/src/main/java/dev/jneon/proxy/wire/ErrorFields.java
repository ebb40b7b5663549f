package dev.jneon.proxy.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of an ErrorResponse or NoticeResponse: {@code (Byte1 code, String value NUL)* NUL},
 * codes {@code S} severity, {@code V} non-localized severity, {@code C} SQLSTATE, {@code M}
 * message, {@code D} detail, {@code H} hint, and others kept as they are. Immutable.
 */
public record ErrorFields(Map<Character, String> fields) {

    public ErrorFields {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** An ERROR with {@code sqlState} and {@code message}, as the proxy sends its own errors. */
    public static ErrorFields error(String sqlState, String message) {
        var f = new LinkedHashMap<Character, String>();
        f.put('S', "ERROR");
        f.put('V', "ERROR");
        f.put('C', sqlState);
        f.put('M', message);
        return new ErrorFields(f);
    }

    /** A NOTICE carrying {@code message}. */
    public static ErrorFields notice(String message) {
        var f = new LinkedHashMap<Character, String>();
        f.put('S', "NOTICE");
        f.put('V', "NOTICE");
        f.put('C', "00000");
        f.put('M', message);
        return new ErrorFields(f);
    }

    public String sqlState() {
        return fields.getOrDefault('C', "");
    }

    public String message() {
        return fields.getOrDefault('M', "");
    }

    byte[] encode() {
        var out = new ByteArrayOutputStream();
        fields.forEach((code, value) -> {
            out.write(code);
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        });
        out.write(0);
        return out.toByteArray();
    }

    static ErrorFields decode(byte[] body) throws ProtocolViolation {
        var f = new LinkedHashMap<Character, String>();
        int pos = 0;
        while (pos < body.length && body[pos] != 0) {
            char code = (char) body[pos];
            int end = pos + 1;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            if (end == body.length) {
                throw new ProtocolViolation("unterminated error field");
            }
            f.put(code, new String(body, pos + 1, end - pos - 1, StandardCharsets.UTF_8));
            pos = end + 1;
        }
        return new ErrorFields(f);
    }

    @Override
    public String toString() {
        return sqlState() + " " + message();
    }
}
