package dev.jneon.proxy.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A server TLS context over one {@link CertificateSet}: TLS 1.2 and 1.3, certificate chosen by
 * SNI, ALPN {@code postgresql} or none (a client offering only other protocols fails the
 * handshake). Immutable; sessions accepted with it keep it after a reload.
 */
public final class TlsContext {

    /** ALPN name of the Postgres protocol (also what PG17 direct TLS requires). */
    public static final String ALPN_POSTGRESQL = "postgresql";

    private final CertificateSet certificates;
    private final SSLContext context;

    public TlsContext(CertificateSet certificates) throws GeneralSecurityException {
        this.certificates = certificates;
        this.context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new SniKeyManager(certificates)}, null, null);
    }

    public CertificateSet certificates() {
        return certificates;
    }

    /**
     * Wraps an accepted socket as the server side of TLS and completes the handshake.
     *
     * @param consumed bytes already read from the socket that belong to the handshake (the first
     *                 bytes of a direct-TLS ClientHello), or null
     */
    public SSLSocket accept(Socket socket, InputStream consumed) throws IOException {
        var ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, consumed, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ssl.setSSLParameters(params);
        ssl.setHandshakeApplicationProtocolSelector((engine, offered) -> alpn(offered));
        ssl.setUseClientMode(false);
        ssl.startHandshake();
        return ssl;
    }

    static String alpn(List<String> offered) {
        if (offered.isEmpty()) {
            return "";
        }
        return offered.contains(ALPN_POSTGRESQL) ? ALPN_POSTGRESQL : null;
    }

    /** The SNI host name of an accepted TLS socket, or null. */
    public static String serverName(SSLSocket socket) {
        return SniKeyManager.serverName(socket.getSession());
    }

    /** The certificate this socket's handshake presented. */
    public ServedCertificate servedTo(SSLSocket socket) {
        return certificates.select(serverName(socket));
    }
}
