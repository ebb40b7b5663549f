package dev.jneon.common.scram;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) of a password the way PostgreSQL applies it before SCRAM: pure ASCII is used as is;
 * otherwise non-ASCII spaces map to U+0020, "mapped to nothing" characters are dropped and the result is NFKC
 * normalised; if that result holds a prohibited character or breaks the bidi rule, the original password is used
 * unchanged (PostgreSQL's fallback, so any password still works). The unassigned-code-point check of RFC 3454 A.1
 * is not applied. Stateless and thread-safe.
 */
final class SaslPrep {

    private SaslPrep() {
    }

    /** The UTF-8 bytes SCRAM hashes for {@code password}. */
    static byte[] passwordBytes(String password) {
        return prepare(password).getBytes(StandardCharsets.UTF_8);
    }

    static String prepare(String password) {
        if (password.chars().allMatch(c -> c < 0x80)) {
            return password;
        }
        StringBuilder mapped = new StringBuilder(password.length());
        password.codePoints().forEach(cp -> {
            if (isNonAsciiSpace(cp)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(cp)) {
                mapped.appendCodePoint(cp);
            }
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        if (normalized.isEmpty() || normalized.codePoints().anyMatch(SaslPrep::isProhibited) || !bidiOk(normalized)) {
            return password;
        }
        return normalized;
    }

    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    private static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    /** RFC 3454 tables C.1.2 and C.2 to C.9. */
    private static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
                || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)
                || cp == 0x06DD || cp == 0x070F || cp == 0x180E || cp == 0x200C || cp == 0x200D || cp == 0x2028
                || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFD) || (cp >= 0x1D173 && cp <= 0x1D17A)
                || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE
                || (cp >= 0xD800 && cp <= 0xDFFF)
                || (cp >= 0x2FF0 && cp <= 0x2FFB)
                || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
    }

    /** RFC 3454 section 6: with any RandALCat character, no LCat and RandALCat at both ends. */
    private static boolean bidiOk(String s) {
        boolean anyRandAl = s.codePoints().anyMatch(SaslPrep::isRandAl);
        if (!anyRandAl) {
            return true;
        }
        boolean anyL = s.codePoints().anyMatch(cp -> Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT);
        return !anyL && isRandAl(s.codePointAt(0)) && isRandAl(s.codePointBefore(s.length()));
    }

    private static boolean isRandAl(int cp) {
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }
}
