package dev.jneon.common.wal;

/**
 * Decompressor for PostgreSQL's pglz format, used for full-page images when
 * {@code wal_compression = pglz}. Format: a control byte whose bits, lowest first, describe the
 * next eight items; a 0 bit is one literal byte; a 1 bit is a back-reference of two bytes
 * {@code [llll oooo] [oooo oooo]} — length {@code l + 3}, offset {@code o} (1..4095) back into the
 * output — with a third byte added to the length when {@code l == 15} (lengths 3..273). A
 * back-reference may overlap the bytes it produces (a run). Stateless; thread-safe.
 */
public final class Pglz {

    private Pglz() {}

    /**
     * Decompresses {@code src[srcOff, srcOff+srcLen)} into {@code dst[dstOff, dstOff+dstLen)} and
     * requires both ranges to be used up exactly. Returns false on malformed input (a reference
     * before the output start, a zero offset, a truncated tag, or a size mismatch); never reads or
     * writes outside the given ranges.
     */
    public static boolean decompressExactly(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int dstLen) {
        int sp = srcOff;
        int srcEnd = srcOff + srcLen;
        int dp = dstOff;
        int dstEnd = dstOff + dstLen;
        while (sp < srcEnd && dp < dstEnd) {
            int control = src[sp++] & 0xFF;
            for (int item = 0; item < 8 && sp < srcEnd && dp < dstEnd; item++, control >>>= 1) {
                if ((control & 1) == 0) {
                    dst[dp++] = src[sp++];
                    continue;
                }
                if (srcEnd - sp < 2) {
                    return false;
                }
                int b0 = src[sp] & 0xFF;
                int b1 = src[sp + 1] & 0xFF;
                sp += 2;
                int len = (b0 & 0x0F) + 3;
                int off = ((b0 & 0xF0) << 4) | b1;
                if (len == 18) {
                    if (sp >= srcEnd) {
                        return false;
                    }
                    len += src[sp++] & 0xFF;
                }
                if (off == 0 || off > dp - dstOff) {
                    return false;
                }
                len = Math.min(len, dstEnd - dp);
                copyBack(dst, dp, off, len);
                dp += len;
            }
        }
        return dp == dstEnd && sp == srcEnd;
    }

    /** Copies {@code len} bytes from {@code off} back, repeating the pattern when they overlap. */
    private static void copyBack(byte[] buf, int dp, int off, int len) {
        int from = dp - off;
        while (len > 0) {
            int chunk = Math.min(len, off);
            System.arraycopy(buf, from, buf, dp, chunk);
            dp += chunk;
            len -= chunk;
            off += chunk;
        }
    }
}
