package dev.jneon.safekeeper.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.RealWal;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** JWT (EdDSA) checks of the HTTP API and the gRPC data plane, scopes as in spec I. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "jneon.grpc.port=0")
class AuthIT {

    static KeyPair keys;
    static KeyPair otherKeys;
    static Path dir;

    @LocalServerPort
    int httpPort;
    @Autowired
    GrpcServer grpc;
    ManagedChannel channel;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        otherKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        dir = Files.createTempDirectory("jneon-sk-auth");
        Path pem = dir.resolve("auth_public_key.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        registry.add("jneon.safekeeper.auth-public-key", pem::toString);
        registry.add("jneon.safekeeper.data-dir", () -> dir.resolve("data").toString());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        RealWal.deleteTree(dir);
    }

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    static String token(KeyPair signer, String claims) throws Exception {
        var b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature sig = Signature.getInstance("Ed25519");
        sig.initSign(signer.getPrivate());
        sig.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64.encodeToString(sig.sign());
    }

    int http(String method, String path, String token, String body) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    Channel withToken(String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    }

    @Test
    void httpRoutesNeedATokenWhoseScopeCoversThem() throws Exception {
        var ttid = TenantTimelineId.generate();
        String data = token(keys, "{\"scope\":\"safekeeperdata\"}");
        String tenant = token(keys, "{\"scope\":\"tenant\",\"tenant_id\":\"" + ttid.tenantId() + "\"}");
        String otherTenant = token(keys, "{\"scope\":\"tenant\",\"tenant_id\":\"" + TenantId.generate() + "\"}");
        String tlPath = "/v1/tenant/" + ttid.tenantId() + "/timeline/" + ttid.timelineId();
        assertThat(http("GET", "/v1/status", null, null)).isEqualTo(200);
        assertThat(http("GET", "/v1/tenant/timeline", null, null)).isEqualTo(401);
        assertThat(http("GET", "/v1/tenant/timeline", tenant, null)).isEqualTo(403);
        assertThat(http("GET", "/v1/tenant/timeline", token(keys, "{\"scope\":\"admin\"}"), null)).isEqualTo(403);
        assertThat(http("GET", "/v1/tenant/timeline", token(otherKeys, "{\"scope\":\"safekeeperdata\"}"), null))
                .isEqualTo(403);
        assertThat(http("GET", "/v1/tenant/timeline", data, null)).isEqualTo(200);
        assertThat(http("POST", "/v1/tenant/timeline", data, "{\"tenant_id\":\"" + ttid.tenantId()
                + "\",\"timeline_id\":\"" + ttid.timelineId() + "\",\"pg_version\":150000,\"start_lsn\":\"0/1000028\"}"))
                .isEqualTo(200);
        assertThat(http("GET", tlPath, tenant, null)).isEqualTo(200);
        assertThat(http("GET", tlPath, otherTenant, null)).isEqualTo(403);
    }

    @Test
    void walPushNeedsATokenForTheGreetedTenant() throws Exception {
        var ttid = TenantTimelineId.generate();
        try (var p = new TestProposer(channel)) {
            p.greet(ttid, 0, 150002);
            assertThat(p.nextEnd().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        String other = token(keys, "{\"scope\":\"tenant\",\"tenant_id\":\"" + TenantId.generate() + "\"}");
        try (var p = new TestProposer(withToken(other))) {
            p.greet(ttid, 0, 150002);
            assertThat(p.nextEnd().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        String data = token(keys, "{\"scope\":\"safekeeperdata\"}");
        assertThat(http("POST", "/v1/tenant/timeline", data, "{\"tenant_id\":\"" + ttid.tenantId()
                + "\",\"timeline_id\":\"" + ttid.timelineId() + "\",\"pg_version\":150000,\"start_lsn\":\""
                + Lsn.of(0x1000028) + "\"}")).isEqualTo(200);
        String mine = token(keys, "{\"scope\":\"tenant\",\"tenant_id\":\"" + ttid.tenantId() + "\"}");
        try (var p = new TestProposer(withToken(mine))) {
            p.greet(ttid, 0, 150002);
            assertThat(p.nextMessage().hasGreeting()).isTrue();
        }
    }
}
