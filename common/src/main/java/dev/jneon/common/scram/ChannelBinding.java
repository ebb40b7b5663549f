package dev.jneon.common.scram;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;

/**
 * SCRAM channel binding data (RFC 5802 section 6): either none, or {@code tls-server-end-point} (RFC 5929 section
 * 4), the hash of the TLS server's DER leaf certificate with the certificate's signature hash (MD5 and SHA-1 are
 * replaced by SHA-256). Both sides compute it from the server certificate. Immutable.
 */
public sealed interface ChannelBinding permits ChannelBinding.None, ChannelBinding.TlsServerEndPoint {

    /** The only channel binding type spoken. */
    String TLS_SERVER_END_POINT = "tls-server-end-point";

    /** No channel binding: plaintext, or a certificate whose signature hash is unknown. */
    record None() implements ChannelBinding {
    }

    /** {@code tls-server-end-point} with the hash of the server's leaf certificate. */
    record TlsServerEndPoint(byte[] certificateHash) implements ChannelBinding {

        public TlsServerEndPoint {
            if (certificateHash.length == 0) {
                throw new IllegalArgumentException("empty certificate hash");
            }
            certificateHash = certificateHash.clone();
        }

        @Override
        public byte[] certificateHash() {
            return certificateHash.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TlsServerEndPoint t && Arrays.equals(certificateHash, t.certificateHash);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(certificateHash);
        }

        @Override
        public String toString() {
            return "TlsServerEndPoint[" + certificateHash.length + " bytes]";
        }
    }

    static ChannelBinding none() {
        return new None();
    }

    /** The binding for a server certificate, or none if its signature algorithm names no usable hash. */
    static ChannelBinding forCertificate(X509Certificate certificate) {
        String alg = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        String digest;
        if (alg.startsWith("SHA256") || alg.startsWith("SHA1") || alg.startsWith("MD5")) {
            digest = "SHA-256";
        } else if (alg.startsWith("SHA384")) {
            digest = "SHA-384";
        } else if (alg.startsWith("SHA512")) {
            digest = "SHA-512";
        } else {
            return none();
        }
        try {
            return new TlsServerEndPoint(MessageDigest.getInstance(digest).digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the certificate", e);
        }
    }
}
