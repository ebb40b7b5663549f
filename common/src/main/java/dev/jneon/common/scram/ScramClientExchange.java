package dev.jneon.common.scram;

import dev.jneon.common.scram.ScramException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * The client side of one SCRAM-SHA-256 exchange driven by ClientKey and ServerKey instead of a password (B.6.6):
 * the proxy authenticates to a compute whose verifier equals the control plane's, so the compute's salt and
 * iteration count are not needed. proof = ClientKey XOR HMAC(H(ClientKey), AuthMessage); the server's signature
 * must equal HMAC(ServerKey, AuthMessage).
 *
 * <p>Channel binding is "prefer": with a {@code tls-server-end-point} binding and a server offering
 * {@code SCRAM-SHA-256-PLUS} the exchange binds ({@code p=tls-server-end-point}); with a binding but no PLUS offer
 * it sends {@code y}; without TLS {@code n}. The user name is sent empty (PostgreSQL takes it from the startup
 * packet). Not thread-safe; owned by one compute connection.
 */
public final class ScramClientExchange {

    private enum State { START, AWAITING_SERVER_FIRST, AWAITING_SERVER_FINAL, DONE }

    private final ScramKeys keys;
    private final String mechanism;
    private final String gs2Header;
    private final byte[] bindingData;
    private final String clientNonce;
    private final String user;
    private State state = State.START;
    private String clientFirstBare;
    private byte[] expectedSignature;

    ScramClientExchange(ScramKeys keys, ChannelBinding binding, List<String> offered, String user,
            String clientNonce) throws ScramException {
        this.keys = keys;
        this.user = user.replace("=", "=3D").replace(",", "=2C");
        this.clientNonce = clientNonce;
        boolean canBind = binding instanceof ChannelBinding.TlsServerEndPoint;
        if (canBind && offered.contains(ScramServerExchange.SCRAM_SHA_256_PLUS)) {
            mechanism = ScramServerExchange.SCRAM_SHA_256_PLUS;
            gs2Header = "p=" + ChannelBinding.TLS_SERVER_END_POINT + ",,";
            bindingData = ((ChannelBinding.TlsServerEndPoint) binding).certificateHash();
        } else if (offered.contains(ScramServerExchange.SCRAM_SHA_256)) {
            mechanism = ScramServerExchange.SCRAM_SHA_256;
            gs2Header = canBind ? "y,," : "n,,";
            bindingData = new byte[0];
        } else {
            throw new ScramException(Reason.UNSUPPORTED_MECHANISM, "server offers no SCRAM-SHA-256: " + offered);
        }
    }

    /**
     * Starts an exchange with the mechanisms a server offered in AuthenticationSASL; {@code binding} is the
     * binding of the TLS session to that server, or none for plaintext.
     */
    public static ScramClientExchange start(ScramKeys keys, ChannelBinding binding, List<String> offered)
            throws ScramException {
        return new ScramClientExchange(keys, binding, offered, "", ScramServerExchange.randomNonce());
    }

    /** The mechanism to name in SASLInitialResponse. */
    public String mechanism() {
        return mechanism;
    }

    /** The client-first message (SASLInitialResponse data). */
    public String clientFirst() {
        if (state != State.START) {
            throw new IllegalStateException("client-first already sent");
        }
        state = State.AWAITING_SERVER_FIRST;
        clientFirstBare = "n=" + user + ",r=" + clientNonce;
        return gs2Header + clientFirstBare;
    }

    /** Answers server-first (AuthenticationSASLContinue data) with client-final (SASLResponse data). */
    public String clientFinal(String serverFirst) throws ScramException {
        if (state != State.AWAITING_SERVER_FIRST) {
            throw ScramMessage.malformed("server-first message out of order");
        }
        state = State.DONE;
        ScramMessage message = ScramMessage.parse(serverFirst);
        String nonce = message.expect(0, 'r');
        ScramMessage.checkNonce(nonce);
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new ScramException(Reason.NONCE_MISMATCH, "server nonce does not extend ours");
        }
        message.expect(1, 's');
        message.expect(2, 'i');
        var channel = new ByteArrayOutputStream();
        channel.writeBytes(gs2Header.getBytes(StandardCharsets.UTF_8));
        channel.writeBytes(bindingData);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(channel.toByteArray()) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] proof = ScramMath.xor(keys.clientKey(), ScramMath.hmac(keys.storedKey(), authMessage));
        expectedSignature = ScramMath.hmac(keys.serverKey(), authMessage);
        state = State.AWAITING_SERVER_FINAL;
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Checks server-final (AuthenticationSASLFinal data); throws unless the server proved it knows ServerKey. */
    public void verifyServerFinal(String serverFinal) throws ScramException {
        if (state != State.AWAITING_SERVER_FINAL) {
            throw ScramMessage.malformed("server-final message out of order");
        }
        state = State.DONE;
        ScramMessage message = ScramMessage.parse(serverFinal);
        if (message.attributes().getFirst().name() == 'e') {
            throw new ScramException(Reason.SERVER_REJECTED, "server error: " + message.attributes().getFirst().value());
        }
        byte[] signature = ScramMessage.base64(message.expect(0, 'v'), "server signature");
        if (!MessageDigest.isEqual(signature, expectedSignature)) {
            throw new ScramException(Reason.SERVER_REJECTED, "invalid server signature");
        }
    }
}
