package dev.jneon.controlplane.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.controlplane.ControlPlaneProperties;
import dev.jneon.controlplane.client.JsonClient;
import dev.jneon.controlplane.registry.Branch;
import dev.jneon.controlplane.registry.Database;
import dev.jneon.controlplane.registry.Endpoint;
import dev.jneon.controlplane.registry.EndpointState;
import dev.jneon.controlplane.registry.Project;
import dev.jneon.controlplane.registry.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ComputeSpecsTest {

    private static final ControlPlaneProperties.Storage STORAGE = new ControlPlaneProperties.Storage(
            "http://127.0.0.1:9898", "127.0.0.1:51051", 7, List.of("http://127.0.0.1:7676", "http://127.0.0.1:7677"),
            List.of("127.0.0.1:5454", "127.0.0.1:5455"));
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final Project project = new Project("p-spec", TenantId.generate(), 15, "ep-spec");
    private final Branch branch = new Branch("br-spec", "p-spec", "main", TimelineId.generate(), null);
    private final Endpoint endpoint = new Endpoint("ep-spec", "p-spec", "br-spec", 5, true, List.of(), false,
            EndpointState.IDLE, "127.0.0.1", 55432, 55433, null, null, null, null, null);

    private JsonNode config(EndpointStorageTokens tokens) {
        var roles = List.of(new Role("br-spec", "alice", "SCRAM-SHA-256$4096:c2FsdA==$a:b", false),
                new Role("br-spec", "bob", "SCRAM-SHA-256$4096:c2FsdA==$c:d", true));
        var dbs = List.of(new Database("br-spec", "appdb", "alice", false),
                new Database("br-spec", "old", "alice", true));
        var specs = new ComputeSpecs(STORAGE, tokens);
        return JsonClient.JSON.valueToTree(specs.config(project, branch, endpoint, roles, dbs));
    }

    @Test
    void aPrimaryOnItsTimelineWithLiveRolesAndDeltaOperationsForDeletedOnes() {
        JsonNode spec = config(new EndpointStorageTokens(new ControlPlaneProperties.EndpointStorage(null, null),
                Clock.systemUTC())).get("spec");
        assertThat(spec.get("mode").asString()).isEqualTo("Primary");
        assertThat(spec.get("tenant_id").asString()).isEqualTo(project.tenant().toString());
        assertThat(spec.get("timeline_id").asString()).isEqualTo(branch.timeline().toString());
        assertThat(spec.get("suspend_timeout_seconds").asLong()).isEqualTo(5);
        assertThat(spec.get("autoprewarm").asBoolean()).isTrue();
        assertThat(spec.at("/pageserver_connection_info/shards/0000/pageservers/0/grpc_url").asString())
                .isEqualTo("grpc://127.0.0.1:51051");
        assertThat(spec.at("/pageserver_connection_info/shards/0000/pageservers/0/id").asLong()).isEqualTo(7);
        assertThat(spec.get("safekeeper_connstrings").toString()).isEqualTo("[\"127.0.0.1:5454\",\"127.0.0.1:5455\"]");
        assertThat(spec.at("/cluster/roles").size()).isEqualTo(1);
        assertThat(spec.at("/cluster/roles/0/name").asString()).isEqualTo("alice");
        assertThat(spec.at("/cluster/roles/0/encrypted_password").asString()).startsWith("SCRAM-SHA-256$");
        assertThat(spec.at("/cluster/databases").size()).isEqualTo(1);
        assertThat(spec.at("/cluster/databases/0/owner").asString()).isEqualTo("alice");
        assertThat(spec.get("delta_operations").toString())
                .isEqualTo("[{\"action\":\"delete_role\",\"name\":\"bob\"},{\"action\":\"delete_db\",\"name\":\"old\"}]");
        assertThat(spec.has("endpoint_storage_addr")).as("no endpoint storage configured").isFalse();
    }

    @Test
    void endpointStorageTokensAreEd25519JwtsForTheEndpointsOwnObjects(@TempDir Path dir) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pem = dir.resolve("auth_private.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        var tokens = new EndpointStorageTokens(new ControlPlaneProperties.EndpointStorage("127.0.0.1:9993", pem),
                Clock.fixed(NOW, ZoneOffset.UTC));
        JsonNode spec = config(tokens).get("spec");
        assertThat(spec.get("endpoint_storage_addr").asString()).isEqualTo("127.0.0.1:9993");

        String[] jwt = spec.get("endpoint_storage_token").asString().split("\\.");
        var b64 = Base64.getUrlDecoder();
        assertThat(new String(b64.decode(jwt[0]), StandardCharsets.UTF_8)).isEqualTo("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}");
        JsonNode claims = JsonClient.JSON.readTree(b64.decode(jwt[1]));
        assertThat(claims.get("tenant_id").asString()).isEqualTo(project.tenant().toString());
        assertThat(claims.get("timeline_id").asString()).isEqualTo(branch.timeline().toString());
        assertThat(claims.get("endpoint_id").asString()).isEqualTo("ep-spec");
        assertThat(claims.get("exp").asLong()).isEqualTo(NOW.plusSeconds(24 * 3600).getEpochSecond());
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(pair.getPublic());
        ed.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(ed.verify(b64.decode(jwt[2]))).isTrue();
    }
}
