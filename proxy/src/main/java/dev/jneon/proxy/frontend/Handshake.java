package dev.jneon.proxy.frontend;

import dev.jneon.proxy.tls.ServedCertificate;
import dev.jneon.proxy.tls.TlsContext;
import dev.jneon.proxy.wire.BackendMessage.NegotiateProtocolVersion;
import dev.jneon.proxy.wire.ErrorFields;
import dev.jneon.proxy.wire.ProtocolViolation;
import dev.jneon.proxy.wire.StartupPacket;
import dev.jneon.proxy.wire.StartupPacket.CancelRequest;
import dev.jneon.proxy.wire.StartupPacket.GssEncRequest;
import dev.jneon.proxy.wire.StartupPacket.SslRequest;
import dev.jneon.proxy.wire.StartupPacket.StartupMessage;
import dev.jneon.proxy.wire.StartupPacketCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * The first packets of a client connection (B.2): at most one SSLRequest (answered {@code S} and
 * TLS when certificates are configured, else {@code N}), GSSENCRequest ({@code N}), a direct TLS
 * ClientHello (first byte {@code 0x16}, PG17), then a CancelRequest or a 3.x StartupMessage; a
 * minor version above 0 gets NegotiateProtocolVersion(3.0) naming the {@code _pq_.} parameters.
 * Plaintext startup while TLS is configured is refused with {@value #INSECURE}. Reads before TLS
 * are unbuffered, so no byte meant for the TLS engine is swallowed; bytes sent after SSLRequest
 * before our {@code S} are a protocol violation. Stateless apart from the TLS context it was given.
 */
public final class Handshake {

    /** Sent to a plaintext client when TLS is configured. */
    public static final String INSECURE = "connection is insecure (try using sslmode=require)";

    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    /** What the client wants after the handshake. */
    public sealed interface Outcome {
        /** A session: the connection (TLS or not), its startup message and what TLS said. */
        record Session(ClientConnection connection, StartupMessage startup, String serverName,
                ServedCertificate certificate) implements Outcome {
        }

        /** A cancel request; the connection is closed without an answer. */
        record Cancel(CancelRequest request) implements Outcome {
        }
    }

    /** The client must be told {@code error} and the connection closed. */
    public static final class Refused extends IOException {
        private final transient ErrorFields error;
        private final transient ClientConnection connection;

        Refused(ErrorFields error, ClientConnection connection) {
            super(error.message());
            this.error = error;
            this.connection = connection;
        }

        public ErrorFields error() {
            return error;
        }

        public ClientConnection connection() {
            return connection;
        }
    }

    private final TlsContext tls;

    /** @param tls the current certificates, or null when TLS is off */
    public Handshake(TlsContext tls) {
        this.tls = tls;
    }

    public Outcome run(Socket socket) throws IOException {
        var peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        Socket current = socket;
        InputStream in = socket.getInputStream();
        SSLSocket ssl = null;
        boolean gssRefused = false;
        while (true) {
            int first = in.read();
            if (first < 0) {
                throw new EOFException("client closed the connection during the handshake");
            }
            if (first == TLS_HANDSHAKE_RECORD && ssl == null && tls != null) {
                ssl = tls.accept(current, new ByteArrayInputStream(new byte[] {(byte) first}));
                current = ssl;
                in = ssl.getInputStream();
                continue;
            }
            var packetIn = new DataInputStream(new SequenceInputStream(
                    new ByteArrayInputStream(new byte[] {(byte) first}), in));
            StartupPacket packet = StartupPacketCodec.read(packetIn);
            switch (packet) {
                case SslRequest r -> {
                    if (ssl != null) {
                        throw new ProtocolViolation("SSLRequest inside TLS");
                    }
                    if (tls == null) {
                        current.getOutputStream().write('N');
                        current.getOutputStream().flush();
                        continue;
                    }
                    if (in.available() > 0) {
                        throw new ProtocolViolation("client sent data after SSLRequest before the server's answer");
                    }
                    current.getOutputStream().write('S');
                    current.getOutputStream().flush();
                    ssl = tls.accept(current, null);
                    current = ssl;
                    in = ssl.getInputStream();
                }
                case GssEncRequest g -> {
                    if (gssRefused || ssl != null) {
                        throw new ProtocolViolation("unexpected GSSENCRequest");
                    }
                    gssRefused = true;
                    current.getOutputStream().write('N');
                    current.getOutputStream().flush();
                }
                case CancelRequest c -> {
                    return new Outcome.Cancel(c);
                }
                case StartupMessage m -> {
                    var connection = new ClientConnection(current, in, peer);
                    if (tls != null && ssl == null) {
                        throw new Refused(ErrorFields.error("XX000", INSECURE), connection);
                    }
                    if (m.minorVersion() > 0) {
                        List<String> unknown = m.parameters().keySet().stream().filter(k -> k.startsWith("_pq_."))
                                .toList();
                        connection.send(new NegotiateProtocolVersion(0, unknown));
                    }
                    return new Outcome.Session(connection, m, ssl == null ? null : TlsContext.serverName(ssl),
                            ssl == null ? null : tls.servedTo(ssl));
                }
            }
        }
    }
}
