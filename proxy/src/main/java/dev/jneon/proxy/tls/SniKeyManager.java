package dev.jneon.proxy.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands the JDK's TLS server the certificate of the client's SNI from one {@link CertificateSet}.
 * The alias is the chosen certificate's domain. Immutable (bound to one set; a reload makes a new
 * manager and context).
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final CertificateSet certificates;

    SniKeyManager(CertificateSet certificates) {
        this.certificates = certificates;
    }

    /** The host name the client sent in SNI during this handshake, or null. */
    static String serverName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            return extended.getRequestedServerNames().stream().filter(SNIHostName.class::isInstance)
                    .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse(null);
        }
        return null;
    }

    private String choose(SSLSession handshake) {
        return certificates.select(serverName(handshake)).domain();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return socket instanceof SSLSocket ssl ? choose(ssl.getHandshakeSession()) : choose(null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        List<X509Certificate> chain = certificates.select(alias).chain();
        return chain.toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return certificates.select(alias).key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return certificates.domains().toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
