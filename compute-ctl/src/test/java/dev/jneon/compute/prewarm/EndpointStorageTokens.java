package dev.jneon.compute.prewarm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * Test fixture playing the control plane for endpoint storage: an Ed25519 key pair, its public key
 * as PEM for the service, and EdDSA JWTs for one endpoint valid for an hour. Immutable.
 */
record EndpointStorageTokens(KeyPair keys) {

    static EndpointStorageTokens generate() throws GeneralSecurityException {
        return new EndpointStorageTokens(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    }

    Path writePublicPem(Path file) throws IOException {
        return Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    }

    String token(String tenant, String timeline, String endpoint) throws GeneralSecurityException {
        var url = Base64.getUrlEncoder().withoutPadding();
        String signed = url.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(("{\"tenant_id\":\"" + tenant + "\",\"timeline_id\":\"" + timeline
                        + "\",\"endpoint_id\":\"" + endpoint + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600)
                        + "}").getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(keys.getPrivate());
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + url.encodeToString(signature.sign());
    }
}
