package dev.jneon.cli.endpoint;

import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mints the endpoint-storage token of one endpoint, as a control plane would (spec C, E.2): a compact
 * JWT, header {@code {"alg":"EdDSA","typ":"JWT"}}, claims {@code {tenant_id, timeline_id, endpoint_id,
 * exp}} with {@code exp} = now + {@link #LIFETIME}, signed with the stack's Ed25519 private key
 * {@code D/endpoint_storage/auth_private.pem} (a PKCS#8 {@code PRIVATE KEY} PEM, as {@code openssl
 * genpkey -algorithm ed25519} writes it) using the JDK's Ed25519. Stateless.
 */
final class EndpointStorageToken {

    static final Duration LIFETIME = Duration.ofHours(24);

    private EndpointStorageToken() {
    }

    /** The stack's private key file. */
    static Path privateKey(Path stackDir) {
        return stackDir.resolve("endpoint_storage").resolve("auth_private.pem");
    }

    static String mint(Path privatePem, Endpoint e, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("tenant_id", e.tenant().toString());
        claims.put("timeline_id", e.timeline().toString());
        claims.put("endpoint_id", e.name());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        var url = Base64.getUrlEncoder().withoutPadding();
        String signed = url.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(JsonHttp.JSON.writeValueAsBytes(claims));
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(read(privatePem));
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + url.encodeToString(signature.sign());
        } catch (GeneralSecurityException ex) {
            throw CliException.failed("cannot sign an endpoint storage token with " + privatePem + ": " + ex.getMessage());
        }
    }

    private static PrivateKey read(Path pem) {
        String text;
        try {
            text = Files.readString(pem);
        } catch (IOException ex) {
            throw CliException.failed("cannot read endpoint storage's private key " + pem + ": " + ex.getMessage());
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw CliException.failed(pem + " holds no PEM PRIVATE KEY block");
        }
        String base64 = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw CliException.failed(pem + " is not an Ed25519 private key: " + ex.getMessage());
        }
    }
}
