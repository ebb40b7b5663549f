package dev.jneon.common.id;

/**
 * ASCII hex-digit checks for the text forms of ids, LSNs and keys. {@link Character#digit} and
 * {@link Long#parseLong} also accept signs and non-ASCII digits, which none of our formats allow,
 * so parsers check with this class first. Stateless.
 */
public final class HexDigits {

    private HexDigits() {
    }

    /** Index of the first character in {@code [from, to)} that is not {@code 0-9a-fA-F}, or -1. */
    public static int firstNonHex(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses {@code [from, to)} as unsigned hex (at most 16 digits) after checking every character;
     * throws {@link IllegalArgumentException} with {@code what} and the whole text in the message.
     */
    public static long parseUnsigned(String text, int from, int to, String what) {
        int bad = firstNonHex(text, from, to);
        if (bad >= 0) {
            throw new IllegalArgumentException("malformed " + what + " '" + text + "': '" + text.charAt(bad)
                    + "' at index " + bad + " is not a hex digit");
        }
        if (to - from > 16 || to <= from) {
            throw new IllegalArgumentException("malformed " + what + " '" + text + "': expected 1 to 16 hex digits"
                    + " at index " + from);
        }
        return Long.parseUnsignedLong(text, from, to, 16);
    }
}
