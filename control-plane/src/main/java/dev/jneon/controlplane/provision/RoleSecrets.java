package dev.jneon.controlplane.provision;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Role passwords and the SCRAM-SHA-256 verifiers the registry keeps instead of them (spec E.2):
 * 16-byte random salt, 4096 iterations, {@code SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>}
 * (standard base64), byte for byte what PostgreSQL stores in {@code pg_authid} for the same salt.
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
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return verifier(password, salt, ITERATIONS);
    }

    /** The verifier for {@code password} with this salt and iteration count. */
    static String verifier(String password, byte[] salt, int iterations) {
        try {
            var pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            var b64 = Base64.getEncoder();
            return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey)
                    + ":" + b64.encodeToString(serverKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2/HMAC-SHA-256: " + e.getMessage(), e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
