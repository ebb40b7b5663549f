package dev.jneon.common.scram;

import dev.jneon.common.scram.ScramException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) against a stored verifier, with optional
 * {@code tls-server-end-point} channel binding. Pure: the caller carries the messages over the wire.
 *
 * <ol>
 *   <li>client-first {@code <gs2 flag>,[a=<authzid>],n=<user>,r=<cnonce>}: flag {@code n} (no binding),
 *       {@code y} (client could bind but thinks we cannot: refused when we can, a downgrade) or
 *       {@code p=tls-server-end-point} (only with the {@code -PLUS} mechanism); authzid and {@code m=} refused; the
 *       user name is ignored (the caller knows the role from the startup packet);</li>
 *   <li>server-first {@code r=<cnonce><snonce>,s=<salt b64>,i=<iterations>}, snonce = base64 of 18 random bytes;</li>
 *   <li>client-final {@code c=<b64(gs2 header [+ cert hash])>,r=<nonce>,p=<proof b64>}: ClientKey = proof XOR
 *       HMAC(StoredKey, AuthMessage) must hash to StoredKey; the answer is server-final
 *       {@code v=<b64(HMAC(ServerKey, AuthMessage))>}.</li>
 * </ol>
 * A missing role runs the same exchange against a {@link ScramSecret#mock() mock} and always fails at the end.
 * Not thread-safe; owned by one client session.
 */
public final class ScramServerExchange {

    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    public static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SERVER_NONCE_BYTES = 18;

    /** The outcome of a successful exchange: the message to send and the client's keys (for the compute). */
    public record Verified(String serverFinal, ScramKeys keys) {
    }

    private enum State { AWAITING_CLIENT_FIRST, AWAITING_CLIENT_FINAL, DONE }

    private final ScramSecret secret;
    private final boolean mock;
    private final ChannelBinding binding;
    private final String serverNonce;
    private State state = State.AWAITING_CLIENT_FIRST;
    private String gs2Header;
    private boolean bound;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    ScramServerExchange(ScramSecret secret, boolean mock, ChannelBinding binding, String serverNonce) {
        this.secret = secret;
        this.mock = mock;
        this.binding = binding;
        this.serverNonce = serverNonce;
    }

    /** An exchange against {@code secret}; {@code binding} is this connection's TLS binding or none. */
    public static ScramServerExchange forSecret(ScramSecret secret, ChannelBinding binding) {
        return new ScramServerExchange(secret, false, binding, randomNonce());
    }

    /** An exchange for a role with no secret: looks the same to the client and always fails. */
    public static ScramServerExchange forMissingRole(ChannelBinding binding) {
        return new ScramServerExchange(ScramSecret.mock(), true, binding, randomNonce());
    }

    /** The mechanisms to offer in AuthenticationSASL, preferred first. */
    public static List<String> mechanisms(ChannelBinding binding) {
        return switch (binding) {
            case ChannelBinding.TlsServerEndPoint t -> List.of(SCRAM_SHA_256_PLUS, SCRAM_SHA_256);
            case ChannelBinding.None n -> List.of(SCRAM_SHA_256);
        };
    }

    /** Handles the client-first message sent with the chosen {@code mechanism}; returns server-first. */
    public String serverFirst(String mechanism, String clientFirst) throws ScramException {
        if (state != State.AWAITING_CLIENT_FIRST) {
            throw ScramMessage.malformed("client-first message out of order");
        }
        state = State.DONE;
        boolean plus = checkMechanism(mechanism);
        int c1 = clientFirst.indexOf(',');
        int c2 = c1 < 0 ? -1 : clientFirst.indexOf(',', c1 + 1);
        if (c2 < 0) {
            throw ScramMessage.malformed("client-first message lacks a gs2 header");
        }
        checkBindingFlag(clientFirst.substring(0, c1), plus);
        if (c2 != c1 + 1) {
            throw new ScramException(Reason.UNSUPPORTED_MECHANISM, "authorization identity is not supported");
        }
        gs2Header = clientFirst.substring(0, c2 + 1);
        clientFirstBare = clientFirst.substring(c2 + 1);
        ScramMessage bare = ScramMessage.parse(clientFirstBare);
        if (!bare.attributes().isEmpty() && bare.attributes().getFirst().name() == 'm') {
            throw new ScramException(Reason.UNSUPPORTED_MECHANISM, "SCRAM extensions are not supported");
        }
        bare.expect(0, 'n');
        String clientNonce = bare.expect(1, 'r');
        ScramMessage.checkNonce(clientNonce);
        nonce = clientNonce + serverNonce;
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(secret.salt()) + ",i="
                + secret.iterations();
        state = State.AWAITING_CLIENT_FINAL;
        return serverFirst;
    }

    /** Checks the client-final message; returns server-final and the client's keys, or throws. */
    public Verified serverFinal(String clientFinal) throws ScramException {
        if (state != State.AWAITING_CLIENT_FINAL) {
            throw ScramMessage.malformed("client-final message out of order");
        }
        state = State.DONE;
        ScramMessage message = ScramMessage.parse(clientFinal);
        byte[] channelData = ScramMessage.base64(message.expect(0, 'c'), "channel binding");
        if (!MessageDigest.isEqual(channelData, expectedChannelData())) {
            throw new ScramException(Reason.CHANNEL_BINDING, "insecure connection: secure channel data mismatch");
        }
        if (!message.expect(1, 'r').equals(nonce)) {
            throw new ScramException(Reason.NONCE_MISMATCH, "SCRAM nonce mismatch");
        }
        if (message.last().name() != 'p') {
            throw ScramMessage.malformed("client-final message lacks a proof");
        }
        byte[] proof = ScramMessage.base64(message.last().value(), "proof");
        if (proof.length != ScramMath.KEY_LENGTH) {
            throw ScramMessage.malformed("proof is not 32 bytes");
        }
        String withoutProof = clientFinal.substring(0, clientFinal.lastIndexOf(",p="));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientKey = ScramMath.xor(proof, ScramMath.hmac(secret.storedKey(), authMessage));
        Optional<ScramKeys> keys = secret.keysForClientKey(clientKey);
        if (keys.isEmpty() || mock) {
            throw new ScramException(Reason.AUTHENTICATION_FAILED, "password authentication failed");
        }
        String signature = Base64.getEncoder().encodeToString(ScramMath.hmac(secret.serverKey(), authMessage));
        return new Verified("v=" + signature, keys.get());
    }

    private boolean checkMechanism(String mechanism) throws ScramException {
        if (!mechanisms(binding).contains(mechanism)) {
            throw new ScramException(Reason.UNSUPPORTED_MECHANISM, "Unsupported authentication method: " + mechanism);
        }
        return mechanism.equals(SCRAM_SHA_256_PLUS);
    }

    private void checkBindingFlag(String flag, boolean plus) throws ScramException {
        if (flag.equals("n") && !plus) {
            bound = false;
        } else if (flag.equals("y") && !plus) {
            if (binding instanceof ChannelBinding.TlsServerEndPoint) {
                throw new ScramException(Reason.CHANNEL_BINDING,
                        "client thinks the server lacks channel binding, but it has it (downgrade?)");
            }
            bound = false;
        } else if (flag.startsWith("p=") && plus) {
            if (!flag.substring(2).equals(ChannelBinding.TLS_SERVER_END_POINT)) {
                throw new ScramException(Reason.CHANNEL_BINDING, "unsupported channel binding type " + flag.substring(2));
            }
            bound = true;
        } else {
            throw new ScramException(Reason.CHANNEL_BINDING,
                    "channel binding flag '" + flag + "' does not match mechanism");
        }
    }

    private byte[] expectedChannelData() {
        var out = new ByteArrayOutputStream();
        out.writeBytes(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (bound && binding instanceof ChannelBinding.TlsServerEndPoint t) {
            out.writeBytes(t.certificateHash());
        }
        return out.toByteArray();
    }

    static String randomNonce() {
        byte[] bytes = new byte[SERVER_NONCE_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
