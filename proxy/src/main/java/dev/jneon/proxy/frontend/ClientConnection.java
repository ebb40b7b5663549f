package dev.jneon.proxy.frontend;

import dev.jneon.proxy.wire.BackendMessage;
import dev.jneon.proxy.wire.ErrorFields;
import dev.jneon.proxy.wire.Message;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A client's connection after the handshake: the (possibly TLS) socket with buffered streams.
 * Reads of typed messages go through {@link #in()}, whose buffered bytes the pump later drains
 * first, so pipelined bytes are never lost. Not thread-safe: the session's thread reads and writes
 * until the pump takes one direction each.
 */
public final class ClientConnection implements java.io.Closeable {

    /** Largest message accepted from a client before authentication (passwords, SASL). */
    static final int MAX_AUTH_MESSAGE = 16 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final InetSocketAddress peer;

    ClientConnection(Socket socket, InputStream in, InetSocketAddress peer) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(in instanceof BufferedInputStream ? in : new BufferedInputStream(in));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        this.peer = peer;
    }

    public Socket socket() {
        return socket;
    }

    public DataInputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    public Message read() throws IOException {
        return Message.read(in, MAX_AUTH_MESSAGE);
    }

    /** Buffers messages; {@link #flush()} sends them. */
    public void send(BackendMessage... messages) throws IOException {
        for (BackendMessage m : messages) {
            m.toMessage().writeTo(out);
        }
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Sends an ErrorResponse and flushes; the caller closes. Failures to send are ignored (peer gone). */
    public void sendError(ErrorFields error) {
        try {
            send(new BackendMessage.ErrorResponse(error));
            flush();
        } catch (IOException peerGone) {
            // The client is gone; nothing left to tell it.
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken socket
        }
    }
}
