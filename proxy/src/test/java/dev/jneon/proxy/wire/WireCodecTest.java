package dev.jneon.proxy.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.proxy.wire.BackendMessage.AuthenticationSasl;
import dev.jneon.proxy.wire.BackendMessage.ErrorResponse;
import dev.jneon.proxy.wire.StartupPacket.CancelRequest;
import dev.jneon.proxy.wire.StartupPacket.SslRequest;
import dev.jneon.proxy.wire.StartupPacket.StartupMessage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    private static StartupPacket readPacket(byte[] bytes) throws Exception {
        return StartupPacketCodec.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void startupMessageRoundTripsWithParametersInOrder() throws Exception {
        var params = new LinkedHashMap<String, String>();
        params.put("user", "alice");
        params.put("database", "db");
        params.put("options", "endpoint=ep-1 -c x=y");
        byte[] wire = StartupPacketCodec.encode(new StartupMessage(3, 0, params));
        assertThat(ByteBuffer.wrap(wire).getInt()).isEqualTo(wire.length);
        StartupMessage back = (StartupMessage) readPacket(wire);
        assertThat(back.parameters()).containsExactlyEntriesOf(params);
    }

    @Test
    void requestCodesAreRecognised() throws Exception {
        byte[] ssl = StartupPacketCodec.encode(new SslRequest());
        assertThat(ByteBuffer.wrap(ssl).getInt(4)).isEqualTo(80877103);
        assertThat(readPacket(ssl)).isInstanceOf(SslRequest.class);
        var cancel = CancelRequest.ofKey(0x8000_0001_FFFF_FFFEL);
        assertThat(cancel.processId()).isEqualTo(0x8000_0001);
        assertThat(((CancelRequest) readPacket(StartupPacketCodec.encode(cancel))).key())
                .isEqualTo(0x8000_0001_FFFF_FFFEL);
    }

    @Test
    void oversizedShortOrForeignPacketsAreViolations() {
        byte[] huge = ByteBuffer.allocate(8).putInt(StartupPacketCodec.MAX_LENGTH + 1).putInt(196608).array();
        assertThatThrownBy(() -> readPacket(huge)).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> readPacket(ByteBuffer.allocate(8).putInt(4).putInt(0).array()))
                .isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> readPacket("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ProtocolViolation.class);
        byte[] v2 = ByteBuffer.allocate(9).putInt(9).putInt(2 << 16).put((byte) 0).array();
        assertThatThrownBy(() -> readPacket(v2)).hasMessageContaining("protocol 2.0");
        byte[] unterminated = ByteBuffer.allocate(12).putInt(12).putInt(196608).put("user".getBytes()).array();
        assertThatThrownBy(() -> readPacket(unterminated)).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> readPacket(new byte[] {0, 0})).isInstanceOf(EOFException.class);
    }

    @Test
    void backendMessagesRoundTrip() throws Exception {
        var sasl = new AuthenticationSasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"));
        Message m = Message.read(new ByteArrayInputStream(sasl.toMessage().encode()), 1000);
        assertThat(((AuthenticationSasl) BackendMessage.parse(m)).mechanisms()).isEqualTo(sasl.mechanisms());
        var error = new ErrorResponse(ErrorFields.error("28P01", "password authentication failed for user 'a'"));
        var parsed = (ErrorResponse) BackendMessage.parse(Message.read(
                new ByteArrayInputStream(error.toMessage().encode()), 1000));
        assertThat(parsed.fields().sqlState()).isEqualTo("28P01");
        assertThat(parsed.fields().message()).isEqualTo("password authentication failed for user 'a'");
    }

    @Test
    void typedMessagesRefuseBadLengths() {
        byte[] tooLong = ByteBuffer.allocate(5).put((byte) 'p').putInt(1 << 20).array();
        assertThatThrownBy(() -> Message.read(new ByteArrayInputStream(tooLong), 1000))
                .isInstanceOf(ProtocolViolation.class);
        byte[] tooShort = ByteBuffer.allocate(5).put((byte) 'p').putInt(3).array();
        assertThatThrownBy(() -> Message.read(new ByteArrayInputStream(tooShort), 1000))
                .isInstanceOf(ProtocolViolation.class);
    }

    @Test
    void saslInitialResponseRoundTrips() throws Exception {
        byte[] data = "n,,n=,r=abc".getBytes(StandardCharsets.UTF_8);
        var back = PasswordMessage.parseSaslInitialResponse(PasswordMessage.saslInitialResponse("SCRAM-SHA-256", data));
        assertThat(back.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(back.data()).isEqualTo(data);
        assertThat(PasswordMessage.parseCleartext(PasswordMessage.cleartext("endpoint=ep;pw"))).isEqualTo("endpoint=ep;pw");
    }
}
