package dev.jneon.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RoleSecretsTest {

    /** Written by PostgreSQL 15 for password 'alice-secret' with salt "0123456789abcdef" (see compute-ctl's tests). */
    private static final String ALICE = "SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$"
            + "m8lGoSUhzwi9YHfc8DS3Ek3NZenZ+UGZOFtUTYgeVr4=:v+oJ1PNoIs9QFCpX/eZFaqojJhVr8JWoRFaLmDK/bvk=";

    @Test
    void verifierIsByteForByteWhatPostgresStores() {
        assertThat(RoleSecrets.verifier("alice-secret", "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 4096))
                .isEqualTo(ALICE);
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
