package dev.jneon.proxy.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client's {@code p} message, whose body depends on what the server asked for: a cleartext
 * password ({@code String NUL}), a SASLInitialResponse ({@code String mechanism NUL, Int32 length
 * or -1, data}) or a SASLResponse (the data alone). Stateless.
 */
public final class PasswordMessage {

    /** Type byte of every password-family message. */
    public static final byte TYPE = 'p';

    /** A parsed SASLInitialResponse. {@code data} is empty when the client sent length -1. */
    public record SaslInitialResponse(String mechanism, byte[] data) {
    }

    private PasswordMessage() {
    }

    public static Message cleartext(String password) {
        return new Message(TYPE, BackendMessage.cStrings(password));
    }

    public static Message saslInitialResponse(String mechanism, byte[] data) {
        byte[] name = BackendMessage.cStrings(mechanism);
        return new Message(TYPE, ByteBuffer.allocate(name.length + 4 + data.length).put(name).putInt(data.length)
                .put(data).array());
    }

    public static Message saslResponse(byte[] data) {
        return new Message(TYPE, data);
    }

    /** Checks that {@code m} is a password-family message. */
    public static Message expect(Message m) throws ProtocolViolation {
        if (m.type() != TYPE) {
            throw new ProtocolViolation("expected a password message, got '" + (char) m.type() + "'");
        }
        return m;
    }

    public static String parseCleartext(Message m) throws ProtocolViolation {
        return expect(m).cString();
    }

    public static SaslInitialResponse parseSaslInitialResponse(Message m) throws ProtocolViolation {
        byte[] body = expect(m).body();
        int nul = 0;
        while (nul < body.length && body[nul] != 0) {
            nul++;
        }
        if (nul + 5 > body.length) {
            throw new ProtocolViolation("malformed SASLInitialResponse");
        }
        String mechanism = new String(body, 0, nul, StandardCharsets.UTF_8);
        int length = ByteBuffer.wrap(body, nul + 1, 4).getInt();
        int dataStart = nul + 5;
        if (length == -1) {
            return new SaslInitialResponse(mechanism, new byte[0]);
        }
        if (length < 0 || dataStart + length != body.length) {
            throw new ProtocolViolation("SASLInitialResponse length " + length + " does not match its message");
        }
        return new SaslInitialResponse(mechanism, Arrays.copyOfRange(body, dataStart, body.length));
    }

    public static byte[] parseSaslResponse(Message m) throws ProtocolViolation {
        return expect(m).body();
    }
}
