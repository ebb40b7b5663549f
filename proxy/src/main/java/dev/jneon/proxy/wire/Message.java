package dev.jneon.proxy.wire;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One typed protocol message: {@code Byte1 type, Int32 length (counting itself), body}. The
 * typed views ({@link BackendMessage}, password and SASL responses) are parsed from it. Immutable
 * once built (the body array is not copied; callers do not change it).
 *
 * @param type the type byte, e.g. {@code 'R'}, {@code 'p'}
 * @param body the bytes after the length word
 */
public record Message(byte type, byte[] body) {

    public Message {
        Objects.requireNonNull(body, "body");
    }

    /**
     * Reads one message, refusing a length below 4 or a body above {@code maxBody} bytes.
     *
     * @throws EOFException when the stream ends before the type byte or inside the message
     */
    public static Message read(InputStream in, int maxBody) throws IOException {
        var data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        int type = data.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        int length = data.readInt();
        if (length < 4 || length - 4 > maxBody) {
            throw new ProtocolViolation("message '" + (char) type + "' has invalid length " + length);
        }
        byte[] body = new byte[length - 4];
        data.readFully(body);
        return new Message((byte) type, body);
    }

    /** The message as it goes on the wire. */
    public byte[] encode() {
        return ByteBuffer.allocate(5 + body.length).put(type).putInt(4 + body.length).put(body).array();
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(encode());
    }

    /** The body read as one NUL-terminated string (PasswordMessage, Query). */
    public String cString() throws ProtocolViolation {
        int end = 0;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        if (end == body.length) {
            throw new ProtocolViolation("string in message '" + (char) type + "' is not terminated");
        }
        return new String(body, 0, end, StandardCharsets.UTF_8);
    }
}
