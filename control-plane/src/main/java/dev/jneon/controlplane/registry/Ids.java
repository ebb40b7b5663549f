package dev.jneon.controlplane.registry;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Project, branch and endpoint ids: {@code [a-z0-9-]+}, at most 63 characters (one DNS label). Stateless. */
public final class Ids {

    private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** Throws {@link IllegalArgumentException} naming {@code kind} unless {@code id} is a valid id. */
    public static String check(String kind, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(kind + " id must match [a-z0-9-]+ (at most 63 characters, no leading"
                    + " or trailing '-'), got " + (id == null ? "nothing" : "'" + id + "'"));
        }
        return id;
    }

    /** A fresh id: {@code prefix-} and 12 random characters. */
    public static String generate(String prefix) {
        var b = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 12; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
