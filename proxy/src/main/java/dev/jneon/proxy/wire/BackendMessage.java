package dev.jneon.proxy.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server-to-client messages the proxy writes to clients and reads from computes during
 * authentication and the startup tail. Layouts (after {@code Byte1 type, Int32 length}):
 * {@code R}: {@code Int32 code} then per code nothing (0 Ok, 3 cleartext), {@code Byte4 salt} (5
 * MD5), mechanism names each NUL-terminated plus a final NUL (10 SASL), SASL data (11 continue, 12
 * final); {@code S}: name NUL value NUL; {@code K}: {@code Int32 pid, Int32 secret}; {@code Z}:
 * {@code Byte1 status}; {@code E}/{@code N}: see {@link ErrorFields}; {@code v}:
 * {@code Int32 newest minor, Int32 n, n option names}. Everything else stays {@link Other}. Immutable.
 */
public sealed interface BackendMessage {

    /** Encodes this message for the wire. */
    Message toMessage();

    record AuthenticationOk() implements BackendMessage {
        public Message toMessage() {
            return auth(0, new byte[0]);
        }
    }

    record AuthenticationCleartextPassword() implements BackendMessage {
        public Message toMessage() {
            return auth(3, new byte[0]);
        }
    }

    record AuthenticationMd5Password(byte[] salt) implements BackendMessage {
        public Message toMessage() {
            return auth(5, salt);
        }
    }

    record AuthenticationSasl(List<String> mechanisms) implements BackendMessage {
        public AuthenticationSasl {
            mechanisms = List.copyOf(mechanisms);
        }

        public Message toMessage() {
            var out = new ByteArrayOutputStream();
            for (String m : mechanisms) {
                out.writeBytes(m.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            out.write(0);
            return auth(10, out.toByteArray());
        }
    }

    record AuthenticationSaslContinue(byte[] data) implements BackendMessage {
        public Message toMessage() {
            return auth(11, data);
        }
    }

    record AuthenticationSaslFinal(byte[] data) implements BackendMessage {
        public Message toMessage() {
            return auth(12, data);
        }
    }

    record ParameterStatus(String name, String value) implements BackendMessage {
        public Message toMessage() {
            return new Message((byte) 'S', cStrings(name, value));
        }
    }

    record BackendKeyData(int processId, int secretKey) implements BackendMessage {
        public Message toMessage() {
            return new Message((byte) 'K', ByteBuffer.allocate(8).putInt(processId).putInt(secretKey).array());
        }
    }

    /** @param status {@code I} idle, {@code T} in a transaction, {@code E} in a failed transaction */
    record ReadyForQuery(char status) implements BackendMessage {
        public Message toMessage() {
            return new Message((byte) 'Z', new byte[] {(byte) status});
        }
    }

    record ErrorResponse(ErrorFields fields) implements BackendMessage {
        public ErrorResponse {
            Objects.requireNonNull(fields, "fields");
        }

        public Message toMessage() {
            return new Message((byte) 'E', fields.encode());
        }
    }

    record NoticeResponse(ErrorFields fields) implements BackendMessage {
        public Message toMessage() {
            return new Message((byte) 'N', fields.encode());
        }
    }

    /** Tells a 3.x client that only 3.{@code newestMinor} is spoken and which {@code _pq_} options were ignored. */
    record NegotiateProtocolVersion(int newestMinor, List<String> unrecognized) implements BackendMessage {
        public NegotiateProtocolVersion {
            unrecognized = List.copyOf(unrecognized);
        }

        public Message toMessage() {
            var out = new ByteArrayOutputStream();
            out.writeBytes(ByteBuffer.allocate(8).putInt(newestMinor).putInt(unrecognized.size()).array());
            unrecognized.forEach(o -> out.writeBytes(cStrings(o)));
            return new Message((byte) 'v', out.toByteArray());
        }
    }

    /** Any message the proxy passes through without looking inside. */
    record Other(Message message) implements BackendMessage {
        public Message toMessage() {
            return message;
        }
    }

    /** Parses a message received from a server. */
    static BackendMessage parse(Message m) throws ProtocolViolation {
        ByteBuffer b = ByteBuffer.wrap(m.body());
        try {
            return switch (m.type()) {
                case 'R' -> parseAuthentication(b);
                case 'S' -> {
                    List<String> s = splitCStrings(m.body());
                    if (s.size() != 2) {
                        throw new ProtocolViolation("malformed ParameterStatus");
                    }
                    yield new ParameterStatus(s.get(0), s.get(1));
                }
                case 'K' -> new BackendKeyData(b.getInt(), b.getInt());
                case 'Z' -> new ReadyForQuery((char) b.get());
                case 'E' -> new ErrorResponse(ErrorFields.decode(m.body()));
                case 'N' -> new NoticeResponse(ErrorFields.decode(m.body()));
                default -> new Other(m);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new ProtocolViolation("message '" + (char) m.type() + "' is too short");
        }
    }

    private static BackendMessage parseAuthentication(ByteBuffer b) throws ProtocolViolation {
        int code = b.getInt();
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        return switch (code) {
            case 0 -> new AuthenticationOk();
            case 3 -> new AuthenticationCleartextPassword();
            case 5 -> new AuthenticationMd5Password(rest);
            case 10 -> new AuthenticationSasl(splitCStrings(rest).stream().filter(s -> !s.isEmpty()).toList());
            case 11 -> new AuthenticationSaslContinue(rest);
            case 12 -> new AuthenticationSaslFinal(rest);
            default -> throw new ProtocolViolation("unsupported authentication request " + code);
        };
    }

    private static Message auth(int code, byte[] data) {
        return new Message((byte) 'R', ByteBuffer.allocate(4 + data.length).putInt(code).put(data).array());
    }

    /** Each string followed by NUL. */
    static byte[] cStrings(String... strings) {
        var out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The NUL-terminated strings in {@code body}; a trailing unterminated part is an error. */
    static List<String> splitCStrings(byte[] body) throws ProtocolViolation {
        var out = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                out.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != body.length) {
            throw new ProtocolViolation("unterminated string");
        }
        return out;
    }
}
