package dev.jneon.proxy.wire;

import java.util.Map;
import java.util.Objects;

/**
 * The untyped first packets a client sends: {@code Int32 length, Int32 code, body}. The code is
 * the protocol version ({@code major << 16 | minor}) for a StartupMessage, or one of the magic
 * request codes {@code 1234.5679} (SSLRequest), {@code 1234.5680} (GSSENCRequest) and
 * {@code 1234.5678} (CancelRequest, body {@code Int32 pid, Int32 secret}). Immutable values.
 */
public sealed interface StartupPacket {

    /** {@code 80877103}: SSLRequest. */
    int SSL_REQUEST_CODE = 1234 << 16 | 5679;
    /** {@code 80877104}: GSSENCRequest. */
    int GSSENC_REQUEST_CODE = 1234 << 16 | 5680;
    /** {@code 80877102}: CancelRequest. */
    int CANCEL_REQUEST_CODE = 1234 << 16 | 5678;

    /** The client asks for TLS; answered with one byte, {@code S} or {@code N}. */
    record SslRequest() implements StartupPacket {
    }

    /** The client asks for GSSAPI encryption; always answered {@code N}. */
    record GssEncRequest() implements StartupPacket {
    }

    /** Cancel the query running on the session that received this key pair. */
    record CancelRequest(int processId, int secretKey) implements StartupPacket {

        /** The 64-bit key the pair stands for: pid in the high half, secret in the low half. */
        public long key() {
            return (long) processId << 32 | secretKey & 0xFFFF_FFFFL;
        }

        public static CancelRequest ofKey(long key) {
            return new CancelRequest((int) (key >>> 32), (int) key);
        }
    }

    /** The session's startup parameters ({@code user}, {@code database}, {@code options}, ...), in order. */
    record StartupMessage(int majorVersion, int minorVersion, Map<String, String> parameters)
            implements StartupPacket {

        public StartupMessage {
            Objects.requireNonNull(parameters, "parameters");
            parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        }

        public String parameter(String name) {
            return parameters.get(name);
        }
    }
}
