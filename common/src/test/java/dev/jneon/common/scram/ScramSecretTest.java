package dev.jneon.common.scram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScramSecretTest {

    @Test
    void parsesAndFormatsTheStoredForm() {
        ScramSecret secret = ScramSecret.fromPassword("pencil", ScramExchangeTest.SALT, 4096);
        String text = secret.format();
        assertThat(text).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
        assertThat(ScramSecret.parse(text)).isEqualTo(secret);
        assertThat(secret.toString()).doesNotContain(text.substring(text.indexOf('$', 15)));
    }

    @Test
    void verifiesPasswords() {
        ScramSecret secret = ScramSecret.generate("s3cret", 16, 4096);
        assertThat(secret.salt()).hasSize(16);
        assertThat(secret.verifyPassword("s3cret")).isTrue();
        assertThat(secret.verifyPassword("s3cret ")).isFalse();
        assertThat(secret.verifyPassword("")).isFalse();
        assertThat(ScramSecret.mock().verifyPassword("")).isFalse();
        assertThat(ScramSecret.generate("", 16, 2).verifyPassword("")).isTrue();
    }

    @Test
    void refusesMalformedSecrets() {
        for (String bad : new String[] {"", "md5abcdef", "SCRAM-SHA-256$4096:c2FsdA==$AAAA:AAAA",
                "SCRAM-SHA-256$0:c2FsdA==$" + "A".repeat(43) + "=:" + "A".repeat(43) + "=",
                "SCRAM-SHA-256$x:c2FsdA==$a:b", "SCRAM-SHA-256$4096:***$a:b"}) {
            assertThatThrownBy(() -> ScramSecret.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void saslPrepMapsAndNormalisesNonAscii() {
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("a\u00A0b")).isEqualTo("a b");
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("plain\u0007ascii")).isEqualTo("plain\u0007ascii");
        assertThat(SaslPrep.prepare("\u00e9\u0007")).isEqualTo("\u00e9\u0007");
    }
}
