package dev.jneon.broker.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues EC P-256 certificates at test time: a root CA, an intermediate CA and server
 * certificates for {@code localhost} / {@code 127.0.0.1}, written as PEM the way an operator
 * would install them (leaf then intermediate in the certificate file, PKCS#8 key). Thread-safe.
 */
final class TestCertificates {

    /** A certificate and the key pair it certifies. */
    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    static Issued rootCa(String name) throws GeneralSecurityException {
        KeyPair keys = newKeys();
        return new Issued(sign(new X500Principal("CN=" + name), keys, keys, new X500Principal("CN=" + name), true), keys);
    }

    static Issued intermediateCa(Issued issuer, String name) throws GeneralSecurityException {
        KeyPair keys = newKeys();
        return new Issued(sign(issuer.certificate().getSubjectX500Principal(), issuer.keys(), keys,
                new X500Principal("CN=" + name), true), keys);
    }

    static Issued server(Issued issuer, String name) throws GeneralSecurityException {
        KeyPair keys = newKeys();
        return new Issued(sign(issuer.certificate().getSubjectX500Principal(), issuer.keys(), keys,
                new X500Principal("CN=" + name), false), keys);
    }

    /** Writes the leaf and its chain to {@code certFile} and its key to {@code keyFile}, each replaced atomically. */
    static void install(Issued leaf, Issued intermediate, Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        replace(certFile, pem("CERTIFICATE", leaf.certificate().getEncoded())
                + pem("CERTIFICATE", intermediate.certificate().getEncoded()));
        replace(keyFile, pem("PRIVATE KEY", leaf.keys().getPrivate().getEncoded()));
    }

    static void writeCertificate(Issued ca, Path file) throws IOException, GeneralSecurityException {
        Files.writeString(file, pem("CERTIFICATE", ca.certificate().getEncoded()));
    }

    private static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X500Principal issuer, KeyPair issuerKeys, KeyPair subjectKeys,
            X500Principal subject, boolean ca) throws GeneralSecurityException {
        Instant now = Instant.now();
        try {
            var utils = new JcaX509ExtensionUtils();
            var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
                    subject, subjectKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot issue test certificate " + subject, e);
        }
    }
}
