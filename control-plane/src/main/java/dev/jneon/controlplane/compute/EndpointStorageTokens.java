package dev.jneon.controlplane.compute;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.controlplane.ControlPlaneProperties;
import dev.jneon.controlplane.client.JsonClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Endpoint storage for computes (spec C): its address and the tokens that let a compute read and
 * write its own objects. A token is a JWT signed with EdDSA (Ed25519, the key of
 * {@code jneon.control-plane.endpoint-storage.private-key}, PKCS#8 PEM as {@code openssl genpkey}
 * writes it): header {@code {"alg":"EdDSA","typ":"JWT"}}, claims {@code {tenant_id, timeline_id,
 * endpoint_id, exp}} valid 24 h. Without an address (or key) computes get neither. Immutable; thread-safe.
 */
public final class EndpointStorageTokens {

    private static final Duration VALIDITY = Duration.ofHours(24);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String address;
    private final PrivateKey key;
    private final Clock clock;

    public EndpointStorageTokens(ControlPlaneProperties.EndpointStorage settings, Clock clock) {
        this.clock = clock;
        boolean configured = settings.addr() != null && !settings.addr().isBlank() && settings.privateKey() != null;
        this.address = configured ? settings.addr() : null;
        this.key = configured ? load(settings) : null;
    }

    public Optional<String> address() {
        return Optional.ofNullable(address);
    }

    /** A token for the objects of endpoint {@code endpointId} of the timeline. */
    public String token(TenantId tenant, TimelineId timeline, String endpointId) {
        if (key == null) {
            throw new IllegalStateException("endpoint storage is not configured");
        }
        var claims = new LinkedHashMap<String, Object>();
        claims.put("tenant_id", tenant.toString());
        claims.put("timeline_id", timeline.toString());
        claims.put("endpoint_id", endpointId);
        claims.put("exp", clock.instant().plus(VALIDITY).getEpochSecond());
        String signed = B64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + B64.encodeToString(JsonClient.JSON.writeValueAsBytes(claims));
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(key);
            ed.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + B64.encodeToString(ed.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an endpoint storage token: " + e.getMessage(), e);
        }
    }

    private static PrivateKey load(ControlPlaneProperties.EndpointStorage settings) {
        try {
            String pem = Files.readString(settings.privateKey());
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(body)));
        } catch (IOException e) {
            throw new UncheckedIOException("jneon.control-plane.endpoint-storage.private-key: " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jneon.control-plane.endpoint-storage.private-key "
                    + settings.privateKey() + " is not an Ed25519 PKCS#8 PEM key: " + e.getMessage(), e);
        }
    }
}
