package dev.jneon.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.scram.ScramSecret;
import org.junit.jupiter.api.Test;

class RoleSecretsTest {

    /** Written by PostgreSQL 15 for password 'alice-secret' with salt "0123456789abcdef" (see compute-ctl's tests). */
    private static final String ALICE = "SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$"
            + "m8lGoSUhzwi9YHfc8DS3Ek3NZenZ+UGZOFtUTYgeVr4=:v+oJ1PNoIs9QFCpX/eZFaqojJhVr8JWoRFaLmDK/bvk=";

    @Test
    void verifiersCheckTheirPasswordLikePostgres() {
        var secret = ScramSecret.parse(RoleSecrets.verifier("alice-secret"));
        assertThat(secret.verifyPassword("alice-secret")).isTrue();
        assertThat(secret.verifyPassword("alice-Secret")).isFalse();
        var golden = ScramSecret.parse(ALICE);
        assertThat(ScramSecret.fromPassword("alice-secret", golden.salt(), 4096).format()).isEqualTo(ALICE);
    }

    @Test
    void freshVerifiersUseA16ByteSaltAnd4096Iterations() {
        String v = RoleSecrets.verifier("pw");
        assertThat(v).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=");
        assertThat(RoleSecrets.verifier("pw")).as("salted afresh").isNotEqualTo(v);
    }

    @Test
    void generatedPasswordsAre24AlphanumericCharacters() {
        assertThat(RoleSecrets.generatePassword()).matches("[A-Za-z0-9]{24}").isNotEqualTo(RoleSecrets.generatePassword());
    }
}
