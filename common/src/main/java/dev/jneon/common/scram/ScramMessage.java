package dev.jneon.common.scram;

import dev.jneon.common.scram.ScramException.Reason;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The attribute list of a SCRAM message: comma-separated {@code <letter>=<value>} pairs (values never contain a
 * comma; {@code =2C}/{@code =3D} escapes in names are left encoded). Immutable.
 */
record ScramMessage(List<Attribute> attributes) {

    /** One {@code <name>=<value>} pair. */
    record Attribute(char name, String value) {
    }

    static ScramMessage parse(String text) throws ScramException {
        List<Attribute> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (part.length() < 2 || part.charAt(1) != '=' || !Character.isLetter(part.charAt(0))) {
                throw malformed("bad SCRAM attribute '" + part + "'");
            }
            out.add(new Attribute(part.charAt(0), part.substring(2)));
        }
        return new ScramMessage(List.copyOf(out));
    }

    /** The value of the attribute at {@code index}, which must be named {@code name}. */
    String expect(int index, char name) throws ScramException {
        if (index >= attributes.size() || attributes.get(index).name() != name) {
            throw malformed("expected attribute '" + name + "' at position " + index);
        }
        return attributes.get(index).value();
    }

    Attribute last() {
        return attributes.getLast();
    }

    static byte[] base64(String value, String what) throws ScramException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw malformed("invalid base64 in " + what);
        }
    }

    /** RFC 5802 {@code printable}: 0x21-0x7E except comma, at least one character. */
    static void checkNonce(String nonce) throws ScramException {
        if (nonce.isEmpty() || !nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7E && c != ',')) {
            throw malformed("invalid nonce");
        }
    }

    static ScramException malformed(String message) {
        return new ScramException(Reason.MALFORMED_MESSAGE, message);
    }
}
