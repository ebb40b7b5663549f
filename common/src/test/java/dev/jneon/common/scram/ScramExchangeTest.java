package dev.jneon.common.scram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.scram.ScramException.Reason;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both sides of the exchange against the RFC 7677 example and against each other. */
class ScramExchangeTest {

    // RFC 7677 section 3
    static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    static final ScramSecret PENCIL = ScramSecret.fromPassword("pencil", SALT, 4096);
    static final ChannelBinding BOUND = new ChannelBinding.TlsServerEndPoint(new byte[] {1, 2, 3, 4});
    static final List<String> PLAIN_ONLY = List.of(ScramServerExchange.SCRAM_SHA_256);

    @Test
    void serverReproducesTheRfc7677Example() throws Exception {
        var server = new ScramServerExchange(PENCIL, false, ChannelBinding.none(), SERVER_NONCE);
        assertThat(server.serverFirst("SCRAM-SHA-256", CLIENT_FIRST)).isEqualTo(SERVER_FIRST);
        var verified = server.serverFinal(CLIENT_FINAL);
        assertThat(verified.serverFinal()).isEqualTo(SERVER_FINAL);
        assertThat(verified.keys()).isEqualTo(PENCIL.keysFor("pencil").orElseThrow());
    }

    @Test
    void clientReproducesTheRfc7677ExampleFromKeysAlone() throws Exception {
        ScramKeys keys = PENCIL.keysFor("pencil").orElseThrow();
        var client = new ScramClientExchange(keys, ChannelBinding.none(), PLAIN_ONLY, "user", CLIENT_NONCE);
        assertThat(client.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(client.clientFirst()).isEqualTo(CLIENT_FIRST);
        assertThat(client.clientFinal(SERVER_FIRST)).isEqualTo(CLIENT_FINAL);
        client.verifyServerFinal(SERVER_FINAL);
    }

    @Test
    void wrongProofFailsAsAuthentication() throws Exception {
        var server = new ScramServerExchange(ScramSecret.fromPassword("other", SALT, 4096), false,
                ChannelBinding.none(), SERVER_NONCE);
        server.serverFirst("SCRAM-SHA-256", CLIENT_FIRST);
        assertThatThrownBy(() -> server.serverFinal(CLIENT_FINAL))
                .isInstanceOfSatisfying(ScramException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void missingRoleFailsEvenWithTheRightProof() throws Exception {
        var server = new ScramServerExchange(PENCIL, true, ChannelBinding.none(), SERVER_NONCE);
        server.serverFirst("SCRAM-SHA-256", CLIENT_FIRST);
        assertThatThrownBy(() -> server.serverFinal(CLIENT_FINAL)).isInstanceOfSatisfying(ScramException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED));
        var mock = ScramServerExchange.forMissingRole(ChannelBinding.none());
        assertThat(mock.serverFirst("SCRAM-SHA-256", CLIENT_FIRST)).contains(",i=1");
    }

    @Test
    void clientAndServerAgreeWithChannelBinding() throws Exception {
        assertThat(ScramServerExchange.mechanisms(BOUND)).containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256");
        var server = ScramServerExchange.forSecret(PENCIL, BOUND);
        ScramKeys keys = PENCIL.keysFor("pencil").orElseThrow();
        var client = ScramClientExchange.start(keys, BOUND, ScramServerExchange.mechanisms(BOUND));
        assertThat(client.mechanism()).isEqualTo("SCRAM-SHA-256-PLUS");
        String first = client.clientFirst();
        assertThat(first).startsWith("p=tls-server-end-point,,n=,r=");
        var verified = server.serverFinal(client.clientFinal(server.serverFirst(client.mechanism(), first)));
        client.verifyServerFinal(verified.serverFinal());
        assertThat(verified.keys()).isEqualTo(keys);
    }

    @Test
    void boundClientAgainstOtherCertificateHashIsRejected() throws Exception {
        var server = ScramServerExchange.forSecret(PENCIL, BOUND);
        var other = new ChannelBinding.TlsServerEndPoint(new byte[] {9, 9, 9, 9});
        var client = ScramClientExchange.start(PENCIL.keysFor("pencil").orElseThrow(), other,
                ScramServerExchange.mechanisms(BOUND));
        String last = client.clientFinal(server.serverFirst(client.mechanism(), client.clientFirst()));
        assertThatThrownBy(() -> server.serverFinal(last)).isInstanceOfSatisfying(ScramException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CHANNEL_BINDING);
            assertThat(e.getMessage()).isEqualTo("insecure connection: secure channel data mismatch");
        });
    }

    @Test
    void downgradeAndFlagMechanismMismatchesAreRefused() {
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, BOUND).serverFirst("SCRAM-SHA-256", "y,,n=,r=abc"),
                Reason.CHANNEL_BINDING);
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, BOUND)
                .serverFirst("SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=abc"), Reason.CHANNEL_BINDING);
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, BOUND)
                .serverFirst("SCRAM-SHA-256-PLUS", "p=tls-unique,,n=,r=abc"), Reason.CHANNEL_BINDING);
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, ChannelBinding.none())
                .serverFirst("SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,n=,r=abc"), Reason.UNSUPPORTED_MECHANISM);
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, ChannelBinding.none())
                .serverFirst("SCRAM-SHA-1", "n,,n=,r=abc"), Reason.UNSUPPORTED_MECHANISM);
    }

    @Test
    void clientWithoutPlusOfferSaysItCouldBind() throws Exception {
        var client = ScramClientExchange.start(PENCIL.keysFor("pencil").orElseThrow(), BOUND, PLAIN_ONLY);
        assertThat(client.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(client.clientFirst()).startsWith("y,,");
        assertReason(() -> ScramClientExchange.start(PENCIL.keysFor("pencil").orElseThrow(), BOUND,
                List.of("SCRAM-SHA-1")), Reason.UNSUPPORTED_MECHANISM);
    }

    @Test
    void malformedMessagesAndBadNoncesAreRefused() throws Exception {
        var none = ChannelBinding.none();
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, none).serverFirst("SCRAM-SHA-256", "n=,r=abc"),
                Reason.MALFORMED_MESSAGE);
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, none).serverFirst("SCRAM-SHA-256", "n,,r=abc"),
                Reason.MALFORMED_MESSAGE);
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, none).serverFirst("SCRAM-SHA-256", "n,a=x,n=,r=a"),
                Reason.UNSUPPORTED_MECHANISM);
        assertReason(() -> ScramServerExchange.forSecret(PENCIL, none).serverFirst("SCRAM-SHA-256", "n,,n=,r="),
                Reason.MALFORMED_MESSAGE);
        var server = new ScramServerExchange(PENCIL, false, none, SERVER_NONCE);
        server.serverFirst("SCRAM-SHA-256", CLIENT_FIRST);
        assertReason(() -> server.serverFinal(CLIENT_FINAL.replace("k0,p=", "k1,p=")), Reason.NONCE_MISMATCH);
        var client = ScramClientExchange.start(PENCIL.keysFor("pencil").orElseThrow(), none, PLAIN_ONLY);
        client.clientFirst();
        assertReason(() -> client.clientFinal("r=someoneelse,s=AAAA,i=1"), Reason.NONCE_MISMATCH);
    }

    @Test
    void clientRejectsAWrongServerSignatureOrAnError() throws Exception {
        ScramKeys keys = PENCIL.keysFor("pencil").orElseThrow();
        var client = new ScramClientExchange(keys, ChannelBinding.none(), PLAIN_ONLY, "user", CLIENT_NONCE);
        client.clientFirst();
        client.clientFinal(SERVER_FIRST);
        assertReason(() -> client.verifyServerFinal("v=" + Base64.getEncoder().encodeToString(new byte[32])),
                Reason.SERVER_REJECTED);
        var again = new ScramClientExchange(keys, ChannelBinding.none(), PLAIN_ONLY, "user", CLIENT_NONCE);
        again.clientFirst();
        again.clientFinal(SERVER_FIRST);
        assertReason(() -> again.verifyServerFinal("e=invalid-proof"), Reason.SERVER_REJECTED);
    }

    interface Step {
        void run() throws Exception;
    }

    static void assertReason(Step step, Reason reason) {
        assertThatThrownBy(step::run).isInstanceOfSatisfying(ScramException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
