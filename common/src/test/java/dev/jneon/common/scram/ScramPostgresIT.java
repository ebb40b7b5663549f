package dev.jneon.common.scram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.testing.ScratchPostgres;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our verifiers are byte-identical to PostgreSQL 15's, and our key-only client exchange logs into a real
 * PostgreSQL that requires scram-sha-256 (the B.6.6 passthrough the proxy relies on).
 */
class ScramPostgresIT {

    static ScratchPostgres postgres;
    static PgCluster cluster;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = ScratchPostgres.start("scram", List.of("host all scram_user 127.0.0.1/32 scram-sha-256"));
        cluster = postgres.cluster();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    static ScramSecret setPassword(String password) {
        cluster.psql("postgres", "DROP ROLE IF EXISTS scram_user; CREATE ROLE scram_user LOGIN PASSWORD '"
                + password.replace("'", "''") + "'");
        return ScramSecret.parse(cluster.psql("postgres",
                "SELECT rolpassword FROM pg_authid WHERE rolname = 'scram_user'"));
    }

    @Test
    void ourVerifierEqualsPostgresForAsciiAndUnicodePasswords() {
        for (String password : List.of("pencil", "with 'quote' and spaces", "\ufb01sh \u2168 caf\u00e9", "x")) {
            ScramSecret fromPg = setPassword(password);
            ScramSecret ours = ScramSecret.fromPassword(password, fromPg.salt(), fromPg.iterations());
            assertThat(ours.format()).as(password).isEqualTo(fromPg.format());
            assertThat(fromPg.verifyPassword(password)).isTrue();
            assertThat(fromPg.verifyPassword(password + "!")).isFalse();
        }
    }

    @Test
    void clientExchangeFromKeysLogsIntoPostgres() throws Exception {
        ScramSecret secret = setPassword("correct horse");
        ScramKeys keys = secret.keysFor("correct horse").orElseThrow();
        assertThat(login(keys)).isEqualTo("authenticated");
        ScramKeys wrong = ScramSecret.fromPassword("wrong", secret.salt(), secret.iterations())
                .keysFor("wrong").orElseThrow();
        assertThat(login(wrong)).startsWith("error 28P01");
    }

    @Test
    void clientRefusesAServerWithoutOurServerKey() throws Exception {
        ScramSecret secret = setPassword("correct horse");
        ScramKeys real = secret.keysFor("correct horse").orElseThrow();
        ScramKeys forged = new ScramKeys(real.clientKey(), new byte[32]);
        assertThatThrownBy(() -> login(forged)).isInstanceOfSatisfying(ScramException.class,
                e -> assertThat(e.reason()).isEqualTo(ScramException.Reason.SERVER_REJECTED));
    }

    /** A minimal protocol-3 startup with SASL; returns "authenticated" or "error <SQLSTATE> <message>". */
    static String login(ScramKeys keys) throws IOException, ScramException {
        try (var socket = new Socket("127.0.0.1", cluster.port())) {
            var out = new DataOutputStream(socket.getOutputStream());
            var in = new DataInputStream(socket.getInputStream());
            byte[] params = "user\0scram_user\0database\0postgres\0\0".getBytes(StandardCharsets.UTF_8);
            out.writeInt(8 + params.length);
            out.writeInt(196608);
            out.write(params);
            out.flush();
            ScramClientExchange exchange = null;
            while (true) {
                char type = (char) in.readUnsignedByte();
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                if (type == 'E') {
                    return "error " + field(body, 'C') + " " + field(body, 'M');
                }
                assertThat(type).isEqualTo('R');
                int code = java.nio.ByteBuffer.wrap(body).getInt();
                String data = new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
                switch (code) {
                    case 10 -> {
                        List<String> offered = new ArrayList<>(List.of(data.split("\0")));
                        exchange = ScramClientExchange.start(keys, ChannelBinding.none(), offered);
                        byte[] mech = (exchange.mechanism() + "\0").getBytes(StandardCharsets.UTF_8);
                        byte[] first = exchange.clientFirst().getBytes(StandardCharsets.UTF_8);
                        out.writeByte('p');
                        out.writeInt(4 + mech.length + 4 + first.length);
                        out.write(mech);
                        out.writeInt(first.length);
                        out.write(first);
                    }
                    case 11 -> {
                        byte[] last = exchange.clientFinal(data).getBytes(StandardCharsets.UTF_8);
                        out.writeByte('p');
                        out.writeInt(4 + last.length);
                        out.write(last);
                    }
                    case 12 -> exchange.verifyServerFinal(data);
                    case 0 -> {
                        out.writeByte('X');
                        out.writeInt(4);
                        out.flush();
                        return "authenticated";
                    }
                    default -> throw new AssertionError("unexpected auth code " + code);
                }
                out.flush();
            }
        }
    }

    static String field(byte[] body, char name) {
        for (String f : new String(body, StandardCharsets.UTF_8).split("\0")) {
            if (!f.isEmpty() && f.charAt(0) == name) {
                return f.substring(1);
            }
        }
        return "";
    }
}
