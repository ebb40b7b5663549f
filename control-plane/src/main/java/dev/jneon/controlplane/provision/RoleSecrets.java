package dev.jneon.controlplane.provision;

import dev.jneon.common.scram.ScramSecret;
import java.security.SecureRandom;

/**
 * Role passwords and the SCRAM-SHA-256 verifiers the registry keeps instead of them (spec E.2):
 * 16-byte random salt, 4096 iterations, {@code SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>}
 * ({@link ScramSecret}, byte for byte what PostgreSQL stores in {@code pg_authid} for the same salt).
 * Generated passwords are 24 characters of {@code [A-Za-z0-9]}. Stateless; thread-safe.
 */
public final class RoleSecrets {

    static final int SALT_BYTES = 16;
    static final int ITERATIONS = 4096;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RoleSecrets() {
    }

    public static String generatePassword() {
        var b = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            b.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return b.toString();
    }

    /** A verifier for {@code password} with a fresh salt. */
    public static String verifier(String password) {
        return ScramSecret.generate(password, SALT_BYTES, ITERATIONS).format();
    }
}
