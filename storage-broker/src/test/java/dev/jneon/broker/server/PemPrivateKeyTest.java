package dev.jneon.broker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;

/** Private keys in PKCS#8, PKCS#1 and SEC1 PEM (the latter two written by BouncyCastle as OpenSSL does). */
class PemPrivateKeyTest {

    private static KeyPair rsa() throws Exception {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /**
     * BouncyCastle's EC keys carry the curve inside their SEC1 structure too, as OpenSSL's do; the
     * JDK's leave it out, so SEC1 written from them would not say its curve.
     */
    private static KeyPair ec(String curve) throws Exception {
        var g = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String openSslLegacy(PrivateKey key) throws Exception {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(key);
        }
        return out.toString();
    }

    /** The parsed key signs what the original public key verifies: it is the same key. */
    private static void assertSameKey(String pem, KeyPair original) throws Exception {
        PrivateKey parsed = PemPrivateKey.parse(pem.getBytes(StandardCharsets.US_ASCII));
        String algorithm = original.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        var signer = Signature.getInstance(algorithm);
        signer.initSign(parsed);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        var verifier = Signature.getInstance(algorithm);
        verifier.initVerify(original.getPublic());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void readsPkcs8RsaAndEcKeys() throws Exception {
        KeyPair rsa = rsa();
        KeyPair ec = ec("secp256r1");
        assertSameKey(pkcs8(rsa.getPrivate()), rsa);
        assertSameKey(pkcs8(ec.getPrivate()), ec);
    }

    @Test
    void readsPkcs1RsaAndSec1EcKeys() throws Exception {
        KeyPair rsa = rsa();
        KeyPair p256 = ec("secp256r1");
        KeyPair p384 = ec("secp384r1");
        assertThat(openSslLegacy(rsa.getPrivate())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(openSslLegacy(p256.getPrivate())).startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertSameKey(openSslLegacy(rsa.getPrivate()), rsa);
        assertSameKey(openSslLegacy(p256.getPrivate()), p256);
        assertSameKey(openSslLegacy(p384.getPrivate()), p384);
    }

    @Test
    void skipsTextAroundTheKeyAndRejectsWhatIsNoKey() throws Exception {
        KeyPair ec = ec("secp256r1");
        assertSameKey("Bag Attributes: none\n" + openSslLegacy(ec.getPrivate()) + "trailing text\n", ec);

        assertThatThrownBy(() -> PemPrivateKey.parse("not a key".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> PemPrivateKey.parse(
                "-----BEGIN EC PRIVATE KEY-----\nAAEC\n-----END EC PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("EC PRIVATE KEY");
    }
}
