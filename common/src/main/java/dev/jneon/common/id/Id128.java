package dev.jneon.common.id;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The 16-byte identifier shared by {@link TenantId} and {@link TimelineId}: held as two longs
 * (big-endian halves), written as 32 lowercase hex digits, compared as an unsigned 128-bit number
 * (which equals byte-wise unsigned order). Stateless; the random source is thread-safe.
 */
final class Id128 {

    static final int BYTES = 16;
    static final int HEX_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Id128() {
    }

    /** Parses 32 hex digits (either case) into {hi, lo}; {@code what} names the type in errors. */
    static long[] parse(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (text.length() != HEX_LENGTH) {
            throw new IllegalArgumentException("malformed " + what + " '" + text + "': expected " + HEX_LENGTH
                    + " hex digits, got " + text.length() + " characters");
        }
        return new long[] {HexDigits.parseUnsigned(text, 0, 16, what), HexDigits.parseUnsigned(text, 16, 32, what)};
    }

    static long[] fromBytes(byte[] bytes, String what) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException(what + " needs exactly " + BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new long[] {readLong(bytes, 0), readLong(bytes, 8)};
    }

    static byte[] toBytes(long hi, long lo) {
        byte[] out = new byte[BYTES];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    static String format(long hi, long lo) {
        return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo);
    }

    static long[] random() {
        return new long[] {RANDOM.nextLong(), RANDOM.nextLong()};
    }

    static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }
}
