package dev.jneon.endpointstorage.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

    private static final String T = "11111111111111111111111111111111";
    private static final String TL = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final long NOW = 1_800_000_000L;

    private final TestTokens tokens = TestTokens.generate();

    @TempDir
    Path dir;

    private TokenVerifier verifier() throws Exception {
        return TokenVerifier.fromPem(tokens.writePublicPem(dir.resolve("key.pem")));
    }

    @Test
    void acceptsAGoodTokenAndReturnsItsClaims() throws Exception {
        TokenClaims claims = verifier().verify(tokens.sign(TestTokens.claims(T, TL, "ep-1", NOW + 10)), NOW);
        assertThat(claims.tenantId().toString()).isEqualTo(T);
        assertThat(claims.timelineId()).map(Object::toString).contains(TL);
        assertThat(claims.endpointId()).map(Object::toString).contains("ep-1");
        assertThat(claims.expiresAt()).isEqualTo(NOW + 10);
    }

    @Test
    void expiryHasSixtySecondsOfLeeway() throws Exception {
        TokenVerifier verifier = verifier();
        String token = tokens.sign(TestTokens.claims(T, null, null, NOW - 60));
        assertThat(verifier.verify(token, NOW).tenantId().toString()).isEqualTo(T);
        assertThatThrownBy(() -> verifier.verify(token, NOW + 1))
                .isInstanceOf(AccessDenied.Unauthenticated.class).hasMessageContaining("expired");
    }

    @Test
    void rejectsTokensWithoutExpiry() throws Exception {
        TokenVerifier verifier = verifier();
        assertThatThrownBy(() -> verifier.verify(tokens.sign(TestTokens.claims(T, TL, "ep", null)), NOW))
                .isInstanceOf(AccessDenied.Unauthenticated.class).hasMessageContaining("exp");
        assertThatThrownBy(() -> verifier.verify(tokens.sign(Map.of("tenant_id", T, "exp", "soon")), NOW))
                .isInstanceOf(AccessDenied.Unauthenticated.class).hasMessageContaining("exp");
    }

    @Test
    void rejectsOtherKeysAndOtherAlgorithms() throws Exception {
        TokenVerifier verifier = verifier();
        var claims = TestTokens.claims(T, TL, "ep", NOW + 10);
        String foreign = TestTokens.generate().sign(claims);
        assertThatThrownBy(() -> verifier.verify(foreign, NOW)).isInstanceOf(AccessDenied.Unauthenticated.class)
                .hasMessageContaining("signature");
        String hs256 = TestTokens.sign(Map.of("alg", "HS256"), claims, tokens.keys().getPrivate());
        assertThatThrownBy(() -> verifier.verify(hs256, NOW)).isInstanceOf(AccessDenied.Unauthenticated.class)
                .hasMessageContaining("EdDSA");
        String none = TestTokens.sign(Map.of("alg", "none"), claims, tokens.keys().getPrivate());
        String unsigned = none.substring(0, none.lastIndexOf('.') + 1);
        assertThatThrownBy(() -> verifier.verify(unsigned, NOW)).isInstanceOf(AccessDenied.Unauthenticated.class);
    }

    @Test
    void rejectsMalformedTokensAndClaims() throws Exception {
        TokenVerifier verifier = verifier();
        for (String bad : new String[] {"", "abc", "a.b", "a.b.c", "!!.??.**", "a.b.c.d"}) {
            assertThatThrownBy(() -> verifier.verify(bad, NOW)).as(bad)
                    .isInstanceOf(AccessDenied.Unauthenticated.class);
        }
        assertThatThrownBy(() -> verifier.verify(tokens.sign(TestTokens.claims("xyz", TL, "ep", NOW + 10)), NOW))
                .isInstanceOf(AccessDenied.Unauthenticated.class).hasMessageContaining("claims");
        assertThatThrownBy(() -> verifier.verify(tokens.sign(TestTokens.claims(T, null, "ep", NOW + 10)), NOW))
                .isInstanceOf(AccessDenied.Unauthenticated.class).hasMessageContaining("claims");
        assertThatThrownBy(() -> verifier.verify(tokens.sign(Map.of("exp", NOW + 10)), NOW))
                .isInstanceOf(AccessDenied.Unauthenticated.class).hasMessageContaining("tenant_id");
    }

    @Test
    void refusesKeysThatAreNotEd25519() throws Exception {
        Path rsa = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(
                        KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> TokenVerifier.fromPem(rsa)).hasMessageContaining("Ed25519");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        assertThatThrownBy(() -> TokenVerifier.fromPem(empty)).hasMessageContaining("PEM");
    }

    /** The key files {@code ./jneon up} makes with openssl work: the public PEM verifies what the private key signs. */
    @Test
    void readsTheKeyPairOpensslGenerates() throws Exception {
        Path privatePem = dir.resolve("auth_private.pem");
        Path publicPem = dir.resolve("auth_public.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", privatePem.toString());
        run("openssl", "pkey", "-in", privatePem.toString(), "-pubout", "-out", publicPem.toString());
        String base64 = Files.readString(privatePem).replaceAll("-----(BEGIN|END) PRIVATE KEY-----|\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        String token = TestTokens.sign(Map.of("alg", "EdDSA"), TestTokens.claims(T, TL, "ep", NOW + 10), privateKey);

        assertThat(TokenVerifier.fromPem(publicPem).verify(token, NOW).endpointId()).map(Object::toString).contains("ep");
        assertThatThrownBy(() -> verifier().verify(token, NOW)).isInstanceOf(AccessDenied.Unauthenticated.class);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
