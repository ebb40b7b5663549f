package dev.jneon.proxy.compute;

import dev.jneon.common.scram.ChannelBinding;
import dev.jneon.common.scram.ScramClientExchange;
import dev.jneon.common.scram.ScramException;
import dev.jneon.common.scram.ScramKeys;
import dev.jneon.proxy.wire.BackendMessage;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationCleartextPassword;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationMd5Password;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationOk;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationSasl;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationSaslContinue;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationSaslFinal;
import dev.jneon.proxy.wire.BackendMessage.BackendKeyData;
import dev.jneon.proxy.wire.BackendMessage.ErrorResponse;
import dev.jneon.proxy.wire.BackendMessage.ReadyForQuery;
import dev.jneon.proxy.wire.ErrorFields;
import dev.jneon.proxy.wire.Message;
import dev.jneon.proxy.wire.PasswordMessage;
import dev.jneon.proxy.wire.ProtocolViolation;
import dev.jneon.proxy.wire.StartupPacket.StartupMessage;
import dev.jneon.proxy.wire.StartupPacketCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The proxy's own connection to a compute, authenticated on the client's behalf (B.6.6, B.10):
 * StartupMessage, then SCRAM-SHA-256 with the client's ClientKey and ServerKey (no password
 * needed; the compute's verifier equals the control plane's) or, if the compute asks for it, the
 * cleartext password when the client gave one; then the startup tail up to ReadyForQuery, kept so
 * the session can relay it. Plaintext TCP (computes here are reached without TLS). Not
 * thread-safe: owned by one session; after {@link #open} the pump uses its streams.
 */
public final class ComputeConnection implements java.io.Closeable {

    private static final int MAX_MESSAGE = 1 << 20;

    /** What the proxy knows to prove the client's identity to the compute. */
    public record Credentials(ScramKeys keys, String password) {
        @Override
        public String toString() {
            return "Credentials[***]";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final InetSocketAddress address;
    private final List<BackendMessage> startupTail;
    private final BackendKeyData backendKey;

    private ComputeConnection(Socket socket, DataInputStream in, OutputStream out, InetSocketAddress address,
            List<BackendMessage> startupTail, BackendKeyData backendKey) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.address = address;
        this.startupTail = List.copyOf(startupTail);
        this.backendKey = backendKey;
    }

    /** Connects, authenticates and reads the startup tail; closes the socket on any failure. */
    public static ComputeConnection open(InetSocketAddress address, Duration connectTimeout,
            Map<String, String> parameters, Credentials credentials) throws ComputeFailure {
        var socket = new Socket();
        try {
            try {
                socket.connect(address, (int) connectTimeout.toMillis());
                socket.setTcpNoDelay(true);
                socket.setKeepAlive(true);
            } catch (IOException e) {
                throw new ComputeFailure("cannot connect to compute " + address, e);
            }
            var in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            var out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            out.write(StartupPacketCodec.encode(new StartupMessage(3, 0, parameters)));
            out.flush();
            authenticate(in, out, credentials);
            List<BackendMessage> tail = new ArrayList<>();
            BackendKeyData key = null;
            while (true) {
                BackendMessage m = BackendMessage.parse(Message.read(in, MAX_MESSAGE));
                switch (m) {
                    case ErrorResponse e -> throw new ComputeFailure(e.fields());
                    case BackendKeyData k -> key = k;
                    case ReadyForQuery r -> {
                        tail.add(r);
                        if (key == null) {
                            throw new ProtocolViolation("compute sent no BackendKeyData");
                        }
                        return new ComputeConnection(socket, in, out, address, tail, key);
                    }
                    default -> tail.add(m);
                }
            }
        } catch (ComputeFailure e) {
            closeQuietly(socket);
            throw e;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ComputeFailure("connection to compute " + address + " broke during startup", e);
        }
    }

    private static void authenticate(DataInputStream in, OutputStream out, Credentials credentials)
            throws IOException {
        ScramClientExchange scram = null;
        while (true) {
            BackendMessage m = BackendMessage.parse(Message.read(in, MAX_MESSAGE));
            try {
                switch (m) {
                    case AuthenticationOk ok -> {
                        return;
                    }
                    case AuthenticationSasl sasl -> {
                        scram = ScramClientExchange.start(credentials.keys(), new ChannelBinding.None(),
                                sasl.mechanisms());
                        PasswordMessage.saslInitialResponse(scram.mechanism(), utf8(scram.clientFirst())).writeTo(out);
                    }
                    case AuthenticationSaslContinue c -> PasswordMessage.saslResponse(
                            utf8(started(scram).clientFinal(string(c.data())))).writeTo(out);
                    case AuthenticationSaslFinal f -> started(scram).verifyServerFinal(string(f.data()));
                    case AuthenticationCleartextPassword p -> {
                        if (credentials.password() == null) {
                            throw new ComputeFailure(ErrorFields.error("28000", "the compute asks for a cleartext"
                                    + " password, which the client did not give the proxy"));
                        }
                        PasswordMessage.cleartext(credentials.password()).writeTo(out);
                    }
                    case ErrorResponse e -> throw new ComputeFailure(e.fields());
                    case AuthenticationMd5Password md5 -> throw new ComputeFailure(ErrorFields.error("28000",
                            "the compute asks for MD5 authentication, which the proxy cannot pass on"));
                    default -> throw new ProtocolViolation("unexpected message from compute during authentication: "
                            + m.getClass().getSimpleName());
                }
            } catch (ScramException e) {
                throw new ComputeFailure(ErrorFields.error("28000", "SCRAM with the compute failed: "
                        + e.getMessage()));
            }
            out.flush();
        }
    }

    private static ScramClientExchange started(ScramClientExchange scram) throws ProtocolViolation {
        if (scram == null) {
            throw new ProtocolViolation("compute continued SASL without starting it");
        }
        return scram;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** ParameterStatus and Notice messages up to and including ReadyForQuery, BackendKeyData removed. */
    public List<BackendMessage> startupTail() {
        return startupTail;
    }

    /** The compute's own cancel key for this session. */
    public BackendKeyData backendKey() {
        return backendKey;
    }

    public DataInputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }
}
