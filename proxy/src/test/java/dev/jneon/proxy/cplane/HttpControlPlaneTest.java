package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.scram.ScramSecret;
import dev.jneon.proxy.cplane.CplaneV1Server.Answer;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our cplane-v1 client against a JDK HttpServer answering B.7 JSON. */
class HttpControlPlaneTest {

    static final EndpointId EP = new EndpointId("ep-quiet-tree-42");
    static final CallContext CTX = new CallContext(UUID.fromString("00000000-0000-0000-0000-00000000abcd"),
            Optional.of("psql test"));

    CplaneV1Server server;
    HttpControlPlane client;

    @BeforeEach
    void start() throws Exception {
        server = new CplaneV1Server();
        client = new HttpControlPlane(server.baseUrl(), Optional.of("tok3n"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void wakeSendsTheB7QueryAndReadsTheAnswer() throws Exception {
        server.script("wake_compute", new Answer(200, """
                {"address": "127.0.0.1:55433", "server_name": "ep-quiet-tree-42.local",
                 "aux": {"endpoint_id": "ep-quiet-tree-42", "project_id": "p1", "branch_id": "b1",
                         "compute_id": "c1", "cold_start_info": "pool_miss"}, "extra": 1}"""));
        NodeInfo node = client.wakeCompute(EP, NeonOptions.parse("neon_lsn:0/1"), CTX);
        assertThat(node.address()).isEqualTo("127.0.0.1:55433");
        assertThat(node.serverName()).contains("ep-quiet-tree-42.local");
        assertThat(node.aux()).isEqualTo(new ComputeAux("ep-quiet-tree-42", "p1", "b1", "c1",
                ComputeAux.ColdStart.POOL_MISS));
        var request = server.requests.getFirst();
        assertThat(request.header("X-Request-ID")).isEqualTo(CTX.sessionId().toString());
        assertThat(request.header("Authorization")).isEqualTo("Bearer tok3n");
        String query = URLDecoder.decode(request.uri().getRawQuery(), StandardCharsets.UTF_8);
        assertThat(query).isEqualTo("session_id=" + CTX.sessionId()
                + "&application_name=psql test&endpointish=ep-quiet-tree-42&options[neon_lsn]=0/1");
    }

    @Test
    void accessControlReadsSecretAllowlistFlagsAndLimits() throws Exception {
        ScramSecret secret = ScramSecret.generate("pw", 16, 4096);
        server.script("get_endpoint_access_control", new Answer(200, """
                {"role_secret": "%s", "project_id": "p1", "allowed_ips": ["10.0.0.0/8"],
                 "block_public_connections": true,
                 "rate_limits": {"connection_attempts": {"tcp": {"rps": 5, "burst": 10}}}}""".formatted(secret.format())));
        EndpointAccess access = client.accessControl(EP, "alice", CTX);
        assertThat(access.roleSecret()).contains(secret);
        assertThat(access.projectId()).contains("p1");
        assertThat(access.allowedIps().entries()).containsExactly("10.0.0.0/8");
        assertThat(access.blockPublicConnections()).isTrue();
        assertThat(access.blockVpcConnections()).isFalse();
        assertThat(access.connectionLimits().tcp()).contains(new EndpointAccess.Limit(5, 10));
        assertThat(access.connectionLimits().ws()).isEmpty();
        assertThat(URLDecoder.decode(server.requests.getFirst().uri().getRawQuery(), StandardCharsets.UTF_8))
                .endsWith("&endpointish=ep-quiet-tree-42&role=alice");
    }

    @Test
    void unknownRoleMeansNoSecret() throws Exception {
        server.script("get_endpoint_access_control", new Answer(200, "{\"role_secret\": \"\"}"),
                new Answer(404, error(404, "ROLE_NOT_FOUND", "")));
        assertThat(client.accessControl(EP, "nobody", CTX).roleSecret()).isEmpty();
        assertThat(client.accessControl(EP, "nobody", CTX).roleSecret()).isEmpty();
    }

    @Test
    void malformedSecretIsAnError() {
        server.script("get_endpoint_access_control", new Answer(200, "{\"role_secret\": \"md5abc\"}"));
        assertThatThrownBy(() -> client.accessControl(EP, "r", CTX)).isInstanceOfSatisfying(ControlPlaneError.class,
                e -> assertThat(e.getMessage()).isEqualTo("Console responded with a malformed auth secret"));
    }

    @Test
    void errorBodiesDecideRetryAndUserText() {
        server.script("wake_compute",
                new Answer(503, error(503, "RUNNING_OPERATIONS", "\"retry_info\": {\"retry_delay_ms\": 1000}")),
                new Answer(404, error(404, "ENDPOINT_NOT_FOUND", "")),
                new Answer(423, error(423, "PROJECT_UNDER_MAINTENANCE", "\"user_facing_message\": {\"message\": \"maintenance, back soon\"}")),
                new Answer(406, error(406, "ENDPOINT_DISABLED", "")),
                new Answer(500, "<html>oops</html>"));
        ControlPlaneError busy = wakeError();
        assertThat(busy.isRetriable()).isTrue();
        assertThat(busy.retryDelay()).contains(Duration.ofSeconds(1));
        assertThat(busy.cacheTtl()).contains(Duration.ofSeconds(1));
        ControlPlaneError missing = wakeError();
        assertThat(missing.isRetriable()).isFalse();
        assertThat(missing.isNotFound()).isTrue();
        assertThat(missing.cacheTtl()).contains(Duration.ofSeconds(30));
        assertThat(missing.userMessage()).isEqualTo("Control plane request failed: endpoint cannot be found");
        ControlPlaneError maintenance = wakeError();
        assertThat(maintenance.isRetriable()).isTrue();
        assertThat(maintenance.cacheTtl()).isEmpty();
        assertThat(maintenance.userMessage()).isEqualTo("maintenance, back soon");
        assertThat(wakeError().userMessage()).isEqualTo("Control plane request failed: endpoint is disabled");
        ControlPlaneError garbage = wakeError();
        assertThat(garbage.getMessage()).isEqualTo("reason unclear (malformed error message)");
        assertThat(garbage.httpStatus()).isEqualTo(500);
        assertThat(garbage.isRetriable()).isFalse();
    }

    @Test
    void refusedConnectionIsARetriableTransportError() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var nowhere = new HttpControlPlane("http://127.0.0.1:" + port + "/proxy/v1/", Optional.empty());
        assertThatThrownBy(() -> nowhere.wakeCompute(EP, NeonOptions.none(), CTX))
                .isInstanceOfSatisfying(ControlPlaneError.class, e -> {
                    assertThat(e.kind()).isEqualTo(ControlPlaneError.Kind.TRANSPORT);
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.cacheTtl()).isEmpty();
                    assertThat(e.userMessage()).isEqualTo("Control plane request failed");
                });
    }

    @Test
    void malformedSuccessBodyIsNotRetried() {
        server.script("wake_compute", new Answer(200, "{\"address\": \"nowhere\"}"));
        ControlPlaneError e = wakeError();
        assertThat(e.kind()).isEqualTo(ControlPlaneError.Kind.MALFORMED_RESPONSE);
        assertThat(e.isRetriable()).isFalse();
    }

    private ControlPlaneError wakeError() {
        try {
            client.wakeCompute(EP, NeonOptions.none(), CTX);
            throw new AssertionError("wake succeeded");
        } catch (ControlPlaneError e) {
            return e;
        }
    }

    static String error(int code, String reason, String extraDetails) {
        String details = "\"error_info\": {\"reason\": \"" + reason + "\"}" + (extraDetails.isEmpty() ? "" : ", " + extraDetails);
        return "{\"error\": \"" + reason.toLowerCase() + "\", \"status\": {\"code\": \"" + code
                + "\", \"message\": \"m\", \"details\": {" + details + "}}}";
    }
}
