package dev.jneon.proxy.wire;

import dev.jneon.proxy.wire.StartupPacket.CancelRequest;
import dev.jneon.proxy.wire.StartupPacket.GssEncRequest;
import dev.jneon.proxy.wire.StartupPacket.SslRequest;
import dev.jneon.proxy.wire.StartupPacket.StartupMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@link StartupPacket}s. A packet is {@code Int32 length} (counting itself,
 * 8..{@value #MAX_LENGTH} bytes, Postgres' own limit) followed by {@code Int32 code} and the body;
 * a StartupMessage body is {@code (name NUL value NUL)* NUL}. Stateless.
 */
public final class StartupPacketCodec {

    /** Largest startup packet accepted, as Postgres' {@code MAX_STARTUP_PACKET_LENGTH}. */
    public static final int MAX_LENGTH = 10_000;

    private StartupPacketCodec() {
    }

    /**
     * Reads one packet.
     *
     * @throws EOFException       when the stream ends first
     * @throws ProtocolViolation  for a bad length, an unknown code or a malformed parameter list
     */
    public static StartupPacket read(InputStream in) throws IOException {
        var data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        int length = data.readInt();
        if (length < 8 || length > MAX_LENGTH) {
            throw new ProtocolViolation("invalid startup packet length " + length);
        }
        int code = data.readInt();
        byte[] body = new byte[length - 8];
        data.readFully(body);
        return switch (code) {
            case StartupPacket.SSL_REQUEST_CODE -> new SslRequest();
            case StartupPacket.GSSENC_REQUEST_CODE -> new GssEncRequest();
            case StartupPacket.CANCEL_REQUEST_CODE -> {
                if (body.length != 8) {
                    throw new ProtocolViolation("CancelRequest of length " + length);
                }
                ByteBuffer b = ByteBuffer.wrap(body);
                yield new CancelRequest(b.getInt(), b.getInt());
            }
            default -> {
                int major = code >>> 16;
                if (major != 3) {
                    throw new ProtocolViolation("unsupported frontend protocol " + major + "." + (code & 0xFFFF));
                }
                yield new StartupMessage(major, code & 0xFFFF, parameters(body));
            }
        };
    }

    private static Map<String, String> parameters(byte[] body) throws ProtocolViolation {
        var params = new LinkedHashMap<String, String>();
        int pos = 0;
        while (true) {
            if (pos >= body.length) {
                throw new ProtocolViolation("startup parameters are not terminated");
            }
            if (body[pos] == 0) {
                if (pos != body.length - 1) {
                    throw new ProtocolViolation("bytes after the startup parameters");
                }
                return params;
            }
            int nameEnd = terminator(body, pos);
            int valueEnd = terminator(body, nameEnd + 1);
            params.put(new String(body, pos, nameEnd - pos, StandardCharsets.UTF_8),
                    new String(body, nameEnd + 1, valueEnd - nameEnd - 1, StandardCharsets.UTF_8));
            pos = valueEnd + 1;
        }
    }

    private static int terminator(byte[] body, int from) throws ProtocolViolation {
        for (int i = from; i < body.length; i++) {
            if (body[i] == 0) {
                return i;
            }
        }
        throw new ProtocolViolation("startup parameter is not terminated");
    }

    /** The packet as it goes on the wire. */
    public static byte[] encode(StartupPacket packet) {
        return switch (packet) {
            case SslRequest s -> codeOnly(StartupPacket.SSL_REQUEST_CODE);
            case GssEncRequest g -> codeOnly(StartupPacket.GSSENC_REQUEST_CODE);
            case CancelRequest c -> ByteBuffer.allocate(16).putInt(16).putInt(StartupPacket.CANCEL_REQUEST_CODE)
                    .putInt(c.processId()).putInt(c.secretKey()).array();
            case StartupMessage m -> {
                var body = new ByteArrayOutputStream();
                m.parameters().forEach((name, value) -> {
                    body.writeBytes(name.getBytes(StandardCharsets.UTF_8));
                    body.write(0);
                    body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
                    body.write(0);
                });
                body.write(0);
                yield ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size())
                        .putInt(m.majorVersion() << 16 | m.minorVersion()).put(body.toByteArray()).array();
            }
        };
    }

    private static byte[] codeOnly(int code) {
        return ByteBuffer.allocate(8).putInt(8).putInt(code).array();
    }
}
