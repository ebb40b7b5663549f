package dev.jneon.common.scram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A SCRAM-SHA-256 verifier as PostgreSQL stores it in {@code pg_authid.rolpassword} and the control plane returns
 * as {@code role_secret}: {@code SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>},
 * standard base64 with padding, StoredKey and ServerKey 32 bytes each. Immutable (arrays are copied); never prints
 * key material.
 */
public record ScramSecret(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    /** The prefix of every verifier this class reads. */
    public static final String PREFIX = "SCRAM-SHA-256$";

    private static final Pattern FORM = Pattern.compile(
            "SCRAM-SHA-256\\$([0-9]+):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ScramSecret {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("empty salt");
        }
        if (storedKey.length != ScramMath.KEY_LENGTH || serverKey.length != ScramMath.KEY_LENGTH) {
            throw new IllegalArgumentException("StoredKey and ServerKey must be 32 bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Parses a verifier; throws {@link IllegalArgumentException} ("malformed auth secret") on anything else. */
    public static ScramSecret parse(String text) {
        var m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed SCRAM-SHA-256 secret");
        }
        try {
            var b64 = Base64.getDecoder();
            return new ScramSecret(Integer.parseInt(m.group(1)), b64.decode(m.group(2)), b64.decode(m.group(3)),
                    b64.decode(m.group(4)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed SCRAM-SHA-256 secret", e);
        }
    }

    /** The verifier for {@code password} (SASLprep'd as PostgreSQL does) with this salt and iteration count. */
    public static ScramSecret fromPassword(String password, byte[] salt, int iterations) {
        ScramKeys keys = keysOf(password, salt, iterations);
        return new ScramSecret(iterations, salt, keys.storedKey(), keys.serverKey());
    }

    /** A verifier with a fresh random salt of {@code saltLength} bytes, as the control plane builds (16, 4096). */
    public static ScramSecret generate(String password, int saltLength, int iterations) {
        byte[] salt = new byte[saltLength];
        RANDOM.nextBytes(salt);
        return fromPassword(password, salt, iterations);
    }

    /**
     * A stand-in for a role that does not exist: one iteration, random salt, random keys, so an exchange runs
     * normally and then fails (see {@link ScramServerExchange#forMissingRole}).
     */
    public static ScramSecret mock() {
        byte[] salt = new byte[16];
        byte[] stored = new byte[ScramMath.KEY_LENGTH];
        byte[] server = new byte[ScramMath.KEY_LENGTH];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(stored);
        RANDOM.nextBytes(server);
        return new ScramSecret(1, salt, stored, server);
    }

    /** The text form, byte-identical to PostgreSQL's. */
    public String format() {
        var b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** Whether {@code password} matches, compared in constant time; costs {@code iterations} HMACs. */
    public boolean verifyPassword(String password) {
        return keysFor(password).isPresent();
    }

    /** The client's keys if {@code password} matches (for passing the authentication on to a compute). */
    public Optional<ScramKeys> keysFor(String password) {
        ScramKeys keys = keysOf(password, salt, iterations);
        boolean stored = MessageDigest.isEqual(keys.storedKey(), storedKey);
        boolean server = MessageDigest.isEqual(keys.serverKey(), serverKey);
        return stored & server ? Optional.of(keys) : Optional.empty();
    }

    /** The keys matching a ClientKey recovered from a client proof, if it hashes to StoredKey (constant time). */
    Optional<ScramKeys> keysForClientKey(byte[] clientKey) {
        boolean ok = MessageDigest.isEqual(ScramMath.sha256(clientKey), storedKey);
        return ok ? Optional.of(new ScramKeys(clientKey, serverKey)) : Optional.empty();
    }

    private static ScramKeys keysOf(String password, byte[] salt, int iterations) {
        byte[] salted = ScramMath.saltedPassword(SaslPrep.passwordBytes(password), salt, iterations);
        return new ScramKeys(ScramMath.hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII)),
                ScramMath.hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramSecret s && iterations == s.iterations && Arrays.equals(salt, s.salt)
                && Arrays.equals(storedKey, s.storedKey) && Arrays.equals(serverKey, s.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramSecret[iterations=" + iterations + ", ***]";
    }
}
