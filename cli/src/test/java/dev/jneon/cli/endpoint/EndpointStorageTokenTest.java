package dev.jneon.cli.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Tokens signed with a key pair made by openssl the way {@code ./jneon up} makes it. */
class EndpointStorageTokenTest {

    @TempDir
    Path dir;

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void signsTheEndpointsClaimsWithTheStacksOpensslKey() throws Exception {
        Path priv = dir.resolve("auth_private.pem");
        Path pub = dir.resolve("auth_public.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString());
        run("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
        var endpoint = new Endpoint("ep-1", TenantId.parse("3aa8fcc61f6d357410b7de754b1d9001"),
                TimelineId.parse("de200bd42b49cc1814412c7e592dd6e9"), "main", null, 55432, 3080, true, 60L);
        Instant now = Instant.ofEpochSecond(1_800_000_000L);

        String[] parts = EndpointStorageToken.mint(priv, endpoint, now).split("\\.");
        assertThat(parts).hasSize(3);
        var url = Base64.getUrlDecoder();
        assertThat(JsonHttp.JSON.readTree(url.decode(parts[0])).path("alg").asString()).isEqualTo("EdDSA");
        JsonNode claims = JsonHttp.JSON.readTree(url.decode(parts[1]));
        assertThat(claims.path("tenant_id").asString()).isEqualTo("3aa8fcc61f6d357410b7de754b1d9001");
        assertThat(claims.path("timeline_id").asString()).isEqualTo("de200bd42b49cc1814412c7e592dd6e9");
        assertThat(claims.path("endpoint_id").asString()).isEqualTo("ep-1");
        assertThat(claims.path("exp").asLong()).isEqualTo(1_800_000_000L + 24 * 3600);

        String pem = Files.readString(pub).replaceAll("-----[A-Z ]+-----|\\s", "");
        Signature verify = Signature.getInstance("Ed25519");
        verify.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                Base64.getDecoder().decode(pem))));
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(url.decode(parts[2]))).as("openssl's public key verifies the signature").isTrue();
    }

    @Test
    void aMissingOrWrongKeyFileSaysWhich() throws Exception {
        var endpoint = new Endpoint("ep-1", TenantId.parse("3aa8fcc61f6d357410b7de754b1d9001"),
                TimelineId.parse("de200bd42b49cc1814412c7e592dd6e9"), "main", null, 55432, 3080, false, null);
        assertThatThrownBy(() -> EndpointStorageToken.mint(dir.resolve("none.pem"), endpoint, Instant.now()))
                .isInstanceOf(CliException.class).hasMessageContaining("none.pem");
        Path notAKey = Files.writeString(dir.resolve("x.pem"), String.join("\n", List.of("-----BEGIN PRIVATE KEY-----",
                "AAAA", "-----END PRIVATE KEY-----")));
        assertThatThrownBy(() -> EndpointStorageToken.mint(notAKey, endpoint, Instant.now()))
                .isInstanceOf(CliException.class).hasMessageContaining("not an Ed25519 private key");
    }
}
