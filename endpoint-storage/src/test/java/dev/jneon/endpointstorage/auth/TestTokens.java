package dev.jneon.endpointstorage.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test fixture playing the control plane: a fresh Ed25519 key pair, its public key as a PEM file, and
 * tokens signed with it (or with any other key) carrying the claims a test chooses. Immutable.
 */
public record TestTokens(KeyPair keys) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    public static TestTokens generate() {
        try {
            return new TestTokens(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the public key as {@code PUBLIC KEY} PEM to {@code file}. */
    public Path writePublicPem(Path file) throws IOException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
    }

    /** Claims {@code tenant_id, timeline_id, endpoint_id, exp}, leaving out the null ones. */
    public static Map<String, Object> claims(String tenant, String timeline, String endpoint, Long exp) {
        Map<String, Object> claims = new LinkedHashMap<>();
        putIfPresent(claims, "tenant_id", tenant);
        putIfPresent(claims, "timeline_id", timeline);
        putIfPresent(claims, "endpoint_id", endpoint);
        putIfPresent(claims, "exp", exp);
        return claims;
    }

    /** A token for the given ids (object token with all three, else a prefix token), valid for an hour. */
    public String valid(String tenant, String timeline, String endpoint) {
        return sign(claims(tenant, timeline, endpoint, inAnHour()));
    }

    /** {@code claims} signed with this key under {@code "alg":"EdDSA"}. */
    public String sign(Map<String, Object> claims) {
        return sign(Map.of("alg", "EdDSA", "typ", "JWT"), claims, keys.getPrivate());
    }

    /** {@code claims} under {@code header}, signed with {@code key}. */
    public static String sign(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        String signed = URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + URL.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long inAnHour() {
        return System.currentTimeMillis() / 1000 + 3600;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
