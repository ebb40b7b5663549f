package dev.jneon.safekeeper.auth;

import dev.jneon.common.id.TenantId;
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
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies Neon-style JWTs: compact form {@code base64url(header).base64url(claims).base64url(sig)},
 * header {@code {"alg":"EdDSA"}}, Ed25519 signature over the first two parts, claims
 * {@code {"scope": "...", "tenant_id": "<hex>"?, "exp": <unix s>?}}. The public key is a PEM
 * {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo). Thread-safe (immutable; a Signature per call).
 */
public final class JwtVerifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final PublicKey key;

    public JwtVerifier(PublicKey key) {
        this.key = key;
    }

    /** Reads an Ed25519 public key in PEM form. */
    public static JwtVerifier fromPem(Path pem) throws IOException {
        String text = Files.readString(pem).replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return new JwtVerifier(KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("not an Ed25519 public key in PEM form: " + pem + ": " + e.getMessage(), e);
        }
    }

    /** The token's claims; an invalid token (format, algorithm, signature, expiry) is an {@link InvalidTokenException}. */
    public Claims verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("token is not a compact JWT");
        }
        try {
            Map<?, ?> header = JSON.readValue(Base64.getUrlDecoder().decode(parts[0]), Map.class);
            if (!"EdDSA".equals(header.get("alg"))) {
                throw new InvalidTokenException("token algorithm must be EdDSA, got " + header.get("alg"));
            }
            Signature sig = Signature.getInstance("Ed25519");
            sig.initVerify(key);
            sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!sig.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new InvalidTokenException("token signature does not verify");
            }
            Map<?, ?> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
            if (claims.get("exp") instanceof Number exp && exp.longValue() < System.currentTimeMillis() / 1000) {
                throw new InvalidTokenException("token expired");
            }
            if (!(claims.get("scope") instanceof String scope)) {
                throw new InvalidTokenException("token has no scope");
            }
            Object tenant = claims.get("tenant_id");
            return new Claims(scope.toLowerCase(java.util.Locale.ROOT),
                    tenant instanceof String s ? Optional.of(TenantId.parse(s)) : Optional.empty());
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof InvalidTokenException ite) {
                throw ite;
            }
            throw new InvalidTokenException("malformed token: " + e.getMessage());
        }
    }

    /** A token that is malformed, wrongly signed or expired. */
    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
