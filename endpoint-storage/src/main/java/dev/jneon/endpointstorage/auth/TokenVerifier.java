package dev.jneon.endpointstorage.auth;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.endpointstorage.object.EndpointId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies the compact JWTs endpoint storage accepts: {@code base64url(header) "." base64url(claims)
 * "." base64url(signature)} without padding, header {@code "alg": "EdDSA"} (no other algorithm), an
 * Ed25519 signature over the ASCII of the first two parts, claims as in {@link TokenClaims} with a
 * required integer {@code exp} that may lie up to {@link #LEEWAY_SECONDS} in the past. Uses the
 * JDK's Ed25519 provider. Thread-safe (immutable; a {@link Signature} per call).
 */
public final class TokenVerifier {

    /** How long after {@code exp} a token is still accepted, for clock skew. */
    public static final long LEEWAY_SECONDS = 60;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final PublicKey key;

    public TokenVerifier(PublicKey key) {
        if (!"EdDSA".equals(key.getAlgorithm()) && !"Ed25519".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("token key must be Ed25519, got " + key.getAlgorithm());
        }
        this.key = key;
    }

    /** Reads an Ed25519 {@code PUBLIC KEY} in PEM form. */
    public static TokenVerifier fromPem(Path pem) throws IOException {
        String text = Files.readString(pem);
        int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = text.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new IOException(pem + " holds no PEM PUBLIC KEY block");
        }
        String base64 = text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end).replaceAll("\\s", "");
        try {
            return new TokenVerifier(KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pem + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * The claims of {@code token} at time {@code nowSeconds} (since the epoch); any defect is an
     * {@link AccessDenied.Unauthenticated} naming it.
     */
    public TokenClaims verify(String token, long nowSeconds) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new AccessDenied.Unauthenticated("token is not a compact JWT of three parts");
        }
        JsonNode header = json(parts[0], "header");
        if (!"EdDSA".equals(header.path("alg").asString(""))) {
            throw new AccessDenied.Unauthenticated("token algorithm must be EdDSA, got " + header.path("alg"));
        }
        if (!signatureVerifies(parts)) {
            throw new AccessDenied.Unauthenticated("token signature does not verify");
        }
        JsonNode claims = json(parts[1], "claims");
        JsonNode exp = claims.path("exp");
        if (!exp.isIntegralNumber() || !exp.canConvertToLong()) {
            throw new AccessDenied.Unauthenticated("token has no integer exp claim");
        }
        if (exp.asLong() + LEEWAY_SECONDS < nowSeconds) {
            throw new AccessDenied.Unauthenticated("token expired at " + exp.asLong());
        }
        try {
            return new TokenClaims(TenantId.parse(requiredText(claims, "tenant_id")),
                    optionalText(claims, "timeline_id").map(TimelineId::parse),
                    optionalText(claims, "endpoint_id").map(EndpointId::new), exp.asLong());
        } catch (IllegalArgumentException e) {
            throw new AccessDenied.Unauthenticated("token claims are invalid: " + e.getMessage());
        }
    }

    private boolean signatureVerifies(String[] parts) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(decode(parts[2], "signature", Function.identity()));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static JsonNode json(String part, String what) {
        JsonNode node = decode(part, what, bytes -> {
            try {
                return JSON.readTree(bytes);
            } catch (JacksonException e) {
                throw new AccessDenied.Unauthenticated("token " + what + " is not JSON");
            }
        });
        if (!node.isObject()) {
            throw new AccessDenied.Unauthenticated("token " + what + " is not a JSON object");
        }
        return node;
    }

    private static <T> T decode(String part, String what, Function<byte[], T> then) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new AccessDenied.Unauthenticated("token " + what + " is not base64url");
        }
        return then.apply(bytes);
    }

    private static String requiredText(JsonNode claims, String name) {
        return optionalText(claims, name)
                .orElseThrow(() -> new IllegalArgumentException(name + " is missing"));
    }

    private static Optional<String> optionalText(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return Optional.of(value.asString());
    }
}
