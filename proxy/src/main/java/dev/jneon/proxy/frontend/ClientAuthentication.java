package dev.jneon.proxy.frontend;

import dev.jneon.common.scram.ChannelBinding;
import dev.jneon.common.scram.ScramException;
import dev.jneon.common.scram.ScramKeys;
import dev.jneon.common.scram.ScramSecret;
import dev.jneon.common.scram.ScramServerExchange;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationCleartextPassword;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationSasl;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationSaslContinue;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationSaslFinal;
import dev.jneon.proxy.wire.ErrorFields;
import dev.jneon.proxy.wire.PasswordMessage;
import dev.jneon.proxy.wire.PasswordMessage.SaslInitialResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates a client against its role's verifier (B.5 step 5, B.6): a password the client
 * already gave (password hack) is checked with PBKDF2; otherwise SCRAM-SHA-256, with
 * {@code -PLUS} offered when the TLS certificate allows channel binding. A role without a secret
 * runs the same exchange against a mock and fails the same way, so role names cannot be probed.
 * The result is the client's ScramKeys, which the proxy then uses to log in to the compute. Not
 * thread-safe: one per session.
 */
final class ClientAuthentication {

    private ClientAuthentication() {
    }

    /** {@code password authentication failed for user '<role>'}, SQLSTATE 28P01. */
    static SessionFailure failed(String role) {
        return SessionFailure.user(ErrorFields.error("28P01", "password authentication failed for user '" + role + "'"),
                dev.jneon.proxy.metrics.ProxyMetrics.ErrorType.USER);
    }

    /** Checks a cleartext password; returns the keys for the compute. */
    static ScramKeys checkPassword(Optional<ScramSecret> secret, String role, String password)
            throws SessionFailure {
        return secret.flatMap(s -> s.keysFor(password)).orElseThrow(() -> failed(role));
    }

    /** Asks the client for a cleartext password (the password hack and WebSocket clients). */
    static String askPassword(ClientConnection client) throws IOException {
        client.send(new AuthenticationCleartextPassword());
        client.flush();
        return PasswordMessage.parseCleartext(client.read());
    }

    /** Runs SCRAM-SHA-256 with the client; returns its keys or throws the 28P01 failure. */
    static ScramKeys scram(ClientConnection client, Optional<ScramSecret> secret, ChannelBinding binding,
            String role) throws IOException, SessionFailure {
        ScramServerExchange exchange = secret.map(s -> ScramServerExchange.forSecret(s, binding))
                .orElseGet(() -> ScramServerExchange.forMissingRole(binding));
        List<String> mechanisms = ScramServerExchange.mechanisms(binding);
        client.send(new AuthenticationSasl(mechanisms));
        client.flush();
        SaslInitialResponse first = PasswordMessage.parseSaslInitialResponse(client.read());
        try {
            if (!mechanisms.contains(first.mechanism())) {
                throw SessionFailure.user(ErrorFields.error("28000", "Unsupported authentication method: "
                        + first.mechanism()), dev.jneon.proxy.metrics.ProxyMetrics.ErrorType.USER);
            }
            String serverFirst = exchange.serverFirst(first.mechanism(), utf8(first.data()));
            client.send(new AuthenticationSaslContinue(serverFirst.getBytes(StandardCharsets.UTF_8)));
            client.flush();
            String clientFinal = utf8(PasswordMessage.parseSaslResponse(client.read()));
            ScramServerExchange.Verified verified = exchange.serverFinal(clientFinal);
            client.send(new AuthenticationSaslFinal(verified.serverFinal().getBytes(StandardCharsets.UTF_8)));
            return verified.keys();
        } catch (ScramException e) {
            if (e.reason() == ScramException.Reason.AUTHENTICATION_FAILED) {
                throw failed(role);
            }
            throw SessionFailure.user(ErrorFields.error("28000", e.getMessage()),
                    dev.jneon.proxy.metrics.ProxyMetrics.ErrorType.USER);
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
