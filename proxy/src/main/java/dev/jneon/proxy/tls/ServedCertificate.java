package dev.jneon.proxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * One certificate the proxy serves: its chain (leaf first), private key and the domain it stands
 * for, which is the leaf's subject CN without a leading {@code *.} or {@code apiauth.} (B.3).
 * Files: PEM; the chain is one or more {@code CERTIFICATE} blocks, the key a PKCS#8
 * {@code PRIVATE KEY} block (RSA or EC; {@code openssl req -nodes} and {@code openssl genpkey}
 * write it). Immutable.
 */
public record ServedCertificate(String domain, List<X509Certificate> chain, PrivateKey key) {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([^-]*)-----END PRIVATE KEY-----");

    public ServedCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain is empty");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Reads a chain and key from PEM files. */
    public static ServedCertificate load(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain;
        try (var in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certFile);
        }
        PrivateKey key = privateKey(Files.readString(keyFile, java.nio.charset.StandardCharsets.US_ASCII), keyFile);
        return new ServedCertificate(domainOf(chain.get(0)), chain, key);
    }

    static PrivateKey privateKey(String pem, Path file) throws GeneralSecurityException {
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new InvalidKeySpecException(file + " holds no PKCS#8 'BEGIN PRIVATE KEY' block (convert with"
                    + " 'openssl pkcs8 -topk8 -nocrypt')");
        }
        var spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    static String domainOf(X509Certificate leaf) throws GeneralSecurityException {
        String cn;
        try {
            cn = new LdapName(leaf.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(Rdn::getValue).map(Object::toString)
                    .findFirst().orElseThrow(() -> new GeneralSecurityException("certificate "
                            + leaf.getSubjectX500Principal() + " has no common name"));
        } catch (InvalidNameException e) {
            throw new GeneralSecurityException("unreadable certificate subject", e);
        }
        cn = cn.toLowerCase(java.util.Locale.ROOT);
        for (String prefix : List.of("*.", "apiauth.")) {
            if (cn.startsWith(prefix)) {
                return cn.substring(prefix.length());
            }
        }
        return cn;
    }
}
