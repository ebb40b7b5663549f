package dev.jneon.endpointstorage;

import static dev.jneon.endpointstorage.RunningEndpointStorage.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.endpointstorage.auth.TestTokens;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service over real HTTP with the local file-system backend and EdDSA authentication: object
 * round trips, prefix deletes at the three levels, cross-endpoint reads, the upload limit, traversal
 * attempts and every kind of bad token, checking the files on disk and that the service keeps serving.
 */
class EndpointStorageIT {

    private static final String T = "11111111111111111111111111111111";
    private static final String T2 = "22222222222222222222222222222222";
    private static final String TL = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String TL2 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final int LIMIT = 64 * 1024;

    private static Path work;
    private static Path root;
    private static TestTokens tokens;
    private static RunningEndpointStorage service;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("endpoint-storage-it");
        root = work.resolve("objects");
        tokens = TestTokens.generate();
        Path pem = tokens.writePublicPem(work.resolve("auth_public.pem"));
        service = RunningEndpointStorage.start("--jneon.endpoint-storage.pemfile=" + pem,
                "--jneon.endpoint-storage.local-path=" + root,
                "--jneon.endpoint-storage.max-upload-file-limit=" + LIMIT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        delete(work);
    }

    /** Every test leaves the service answering and the probe object gone. */
    @AfterEach
    void stillServing() throws Exception {
        assertThat(service.send("GET", "/status", null, null).statusCode()).isEqualTo(200);
        try (Stream<Path> top = Files.list(root)) {
            assertThat(top.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("write_access_"));
        }
    }

    private static HttpResponse<byte[]> put(String path, String token, String body) throws Exception {
        return service.send("PUT", path, token, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String objectPath(String tenant, String timeline, String endpoint, String key) {
        return "/" + tenant + "/" + timeline + "/" + endpoint + "/" + key;
    }

    private static void putObject(String tenant, String timeline, String endpoint, String key) throws Exception {
        String token = tokens.valid(tenant, timeline, endpoint);
        assertThat(put(objectPath(tenant, timeline, endpoint, key), token, key).statusCode()).isEqualTo(200);
    }

    private static boolean stored(String tenant, String timeline, String endpoint, String key) {
        return Files.isRegularFile(root.resolve(tenant).resolve(timeline).resolve(endpoint).resolve(key));
    }

    @Test
    void putGetOverwriteDeleteRoundTrip() throws Exception {
        String token = tokens.valid(T, TL, "ep-round");
        String path = objectPath(T, TL, "ep-round", "lfc_state");

        assertThat(put(path, token, "first").statusCode()).isEqualTo(200);
        assertThat(Files.readString(root.resolve(T + "/" + TL + "/ep-round/lfc_state"))).isEqualTo("first");
        assertThat(put(path, token, "second state").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> got = service.send("GET", path, token, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(text(got)).isEqualTo("second state");
        assertThat(got.headers().firstValue("Content-Type")).contains("application/octet-stream");

        byte[] binary = new byte[LIMIT];
        new java.util.Random(7).nextBytes(binary);
        String nested = objectPath(T, TL, "ep-round", "dir/sub/blob.bin");
        assertThat(service.send("PUT", nested, token, binary).statusCode()).isEqualTo(200);
        assertThat(service.send("GET", nested, token, null).body()).isEqualTo(binary);

        byte[] formLike = "a=1&b=2".getBytes(StandardCharsets.UTF_8);
        assertThat(service.send("PUT", path, token, formLike, "Content-Type", "application/x-www-form-urlencoded")
                .statusCode()).as("a body sent as a form (curl --data-binary) is stored as is").isEqualTo(200);
        assertThat(service.send("GET", path, token, null).body()).isEqualTo(formLike);

        assertThat(service.send("DELETE", path, token, null).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> missing = service.send("GET", path, token, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).isEqualTo(T + "/" + TL + "/ep-round/lfc_state");
        assertThat(service.send("DELETE", path, token, null).statusCode()).as("delete of an absent object")
                .isEqualTo(200);
        assertThat(stored(T, TL, "ep-round", "dir/sub/blob.bin")).isTrue();
    }

    @Test
    void keysAreNormalisedInsideTheEndpointFolder() throws Exception {
        String token = tokens.valid(T, TL, "ep-norm");
        assertThat(service.sendRaw("PUT", objectPath(T, TL, "ep-norm", "a/./b/../c"), token)).isEqualTo(200);
        assertThat(stored(T, TL, "ep-norm", "a/c")).isTrue();
        assertThat(service.sendRaw("GET", objectPath(T, TL, "ep-norm", "/a//c"), token)).isEqualTo(200);
        assertThat(service.sendRaw("GET", objectPath(T, TL, "ep-norm", "%2e/a/c"), token)).isEqualTo(200);
    }

    @Test
    void pathTraversalIsRejectedAndWritesNothing() throws Exception {
        String token = tokens.valid(T, TL, "ep-trav");
        List<String> attempts = List.of(
                objectPath(T, TL, "ep-trav", "../escaped"),
                objectPath(T, TL, "ep-trav", "../../../escaped"),
                objectPath(T, TL, "ep-trav", "a/../../escaped"),
                objectPath(T, TL, "ep-trav", "%2e%2e/escaped"),
                objectPath(T, TL, "ep-trav", "%2e%2e%2fescaped"),
                objectPath(T, TL, "ep-trav", "..%5cescaped"),
                objectPath(T, TL, "..", "escaped"),
                objectPath(T, TL, "%2e%2e", "escaped"),
                objectPath(T, TL, "ep-trav", "."),
                objectPath(T, TL, "ep-trav", ""),
                "/../../" + TL + "/ep-trav/escaped",
                "/" + T + "/../ep-trav/x/escaped");
        for (String path : attempts) {
            int status = service.sendRaw("PUT", path, token);
            assertThat(status).as("PUT " + path).isBetween(400, 499);
            assertThat(service.sendRaw("GET", path, token)).as("GET " + path).isBetween(400, 499);
        }
        try (Stream<Path> files = Files.walk(work)) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("escaped"));
        }
        assertThat(put("/not-a-tenant/" + TL + "/ep/k", token, "x").statusCode()).isEqualTo(400);
        assertThat(put("/" + T + "/" + TL.substring(1) + "/ep/k", token, "x").statusCode()).isEqualTo(400);
    }

    @Test
    void anEndpointReadsButDoesNotWriteItsTimelineSiblings() throws Exception {
        putObject(T, TL, "ep-owner", "lfc_state");
        String sibling = tokens.valid(T, TL, "ep-reader");
        String path = objectPath(T, TL, "ep-owner", "lfc_state");

        HttpResponse<byte[]> read = service.send("GET", path, sibling, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(text(read)).isEqualTo("lfc_state");
        assertThat(put(path, sibling, "overwrite").statusCode()).isEqualTo(403);
        assertThat(service.send("DELETE", path, sibling, null).statusCode()).isEqualTo(403);
        assertThat(service.send("GET", path, tokens.valid(T, TL2, "ep-owner"), null).statusCode()).isEqualTo(403);
        assertThat(text(service.send("GET", path, sibling, null))).isEqualTo("lfc_state");
    }

    @Test
    void prefixDeletesRemoveExactlyTheirFolder() throws Exception {
        for (String tenant : List.of(T, T2)) {
            for (String timeline : List.of(TL, TL2)) {
                for (String endpoint : List.of("ep-p1", "ep-p2")) {
                    putObject(tenant, timeline, endpoint, "lfc_state");
                    putObject(tenant, timeline, endpoint, "more/state");
                }
            }
        }
        String endpointPrefix = "/" + T + "/" + TL + "/ep-p1";
        assertThat(service.send("DELETE", endpointPrefix, tokens.valid(T, TL, "ep-p1"), null).statusCode())
                .isEqualTo(200);
        assertThat(stored(T, TL, "ep-p1", "lfc_state") || stored(T, TL, "ep-p1", "more/state")).isFalse();
        assertThat(stored(T, TL, "ep-p2", "lfc_state")).isTrue();

        assertThat(service.send("DELETE", "/" + T + "/" + TL, tokens.valid(T, TL, null), null).statusCode())
                .isEqualTo(200);
        assertThat(stored(T, TL, "ep-p2", "lfc_state")).isFalse();
        assertThat(stored(T, TL2, "ep-p1", "lfc_state")).isTrue();

        assertThat(service.send("DELETE", "/" + T, tokens.valid(T, null, null), null).statusCode()).isEqualTo(200);
        assertThat(stored(T, TL2, "ep-p1", "lfc_state") || stored(T, TL2, "ep-p2", "more/state")).isFalse();
        assertThat(stored(T2, TL, "ep-p1", "lfc_state") && stored(T2, TL2, "ep-p2", "more/state")).isTrue();

        assertThat(service.send("DELETE", "/" + T, tokens.valid(T, null, null), null).statusCode())
                .as("deleting an empty prefix").isEqualTo(200);
        assertThat(service.send("DELETE", "/" + T2, tokens.valid(T2, null, null), null).statusCode()).isEqualTo(200);
        assertThat(stored(T2, TL, "ep-p1", "lfc_state")).isFalse();
    }

    @Test
    void aTrailingSlashIsNotThePrefixRoute() throws Exception {
        String token = tokens.valid(T, TL, null);
        assertThat(service.send("DELETE", "/" + T + "/" + TL + "/", token, null).statusCode()).isEqualTo(404);
        assertThat(service.send("DELETE", "/" + T + "/", tokens.valid(T, null, null), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void bodiesOverTheUploadLimitAreRefused() throws Exception {
        String token = tokens.valid(T, TL, "ep-limit");
        String path = objectPath(T, TL, "ep-limit", "big");
        HttpResponse<byte[]> tooBig = service.send("PUT", path, token, new byte[LIMIT + 1]);
        assertThat(tooBig.statusCode()).isEqualTo(400);
        assertThat(text(tooBig)).contains("max_upload_file_limit");
        assertThat(stored(T, TL, "ep-limit", "big")).isFalse();
        assertThat(service.send("PUT", path, token, new byte[LIMIT]).statusCode()).isEqualTo(200);
        assertThat(Files.size(root.resolve(T + "/" + TL + "/ep-limit/big"))).isEqualTo(LIMIT);
    }

    @Test
    void badTokensGet401() throws Exception {
        putObject(T, TL, "ep-auth", "lfc_state");
        String path = objectPath(T, TL, "ep-auth", "lfc_state");
        String expired = tokens.sign(TestTokens.claims(T, TL, "ep-auth", System.currentTimeMillis() / 1000 - 120));
        String foreignKey = TestTokens.generate().valid(T, TL, "ep-auth");
        String noExp = tokens.sign(TestTokens.claims(T, TL, "ep-auth", null));
        String hs256 = TestTokens.sign(Map.of("alg", "HS256"), TestTokens.claims(T, TL, "ep-auth",
                TestTokens.inAnHour()), tokens.keys().getPrivate());
        for (String token : Arrays.asList(null, "", "not-a-jwt", "a.b.c", expired, foreignKey, noExp, hs256)) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                HttpResponse<byte[]> response = service.send(method, path, token, method.equals("PUT")
                        ? "x".getBytes(StandardCharsets.UTF_8) : null);
                assertThat(response.statusCode()).as(method + " with " + token).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            }
            assertThat(service.send("DELETE", "/" + T, token, null).statusCode()).isEqualTo(401);
        }
        HttpResponse<byte[]> basic = service.sendWithAuthorization("GET", path, "Basic dXNlcjpwYXNz");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(text(service.send("GET", path, tokens.valid(T, TL, "ep-auth"), null))).isEqualTo("lfc_state");
    }

    @Test
    void tokensForOtherTenantsOrOtherScopesGet403() throws Exception {
        putObject(T, TL, "ep-scope", "lfc_state");
        String path = objectPath(T, TL, "ep-scope", "lfc_state");
        for (String token : List.of(tokens.valid(T2, TL, "ep-scope"), tokens.valid(T, null, null),
                tokens.valid(T, TL, null))) {
            assertThat(service.send("GET", path, token, null).statusCode()).isEqualTo(403);
            assertThat(put(path, token, "x").statusCode()).isEqualTo(403);
            assertThat(service.send("DELETE", path, token, null).statusCode()).isEqualTo(403);
        }
        String endpointToken = tokens.valid(T, TL, "ep-scope");
        assertThat(service.send("DELETE", "/" + T, endpointToken, null).statusCode()).isEqualTo(403);
        assertThat(service.send("DELETE", "/" + T + "/" + TL, endpointToken, null).statusCode()).isEqualTo(403);
        assertThat(service.send("DELETE", "/" + T, tokens.valid(T, TL, null), null).statusCode()).isEqualTo(403);
        assertThat(service.send("DELETE", "/" + T + "/" + TL, tokens.valid(T, null, null), null).statusCode())
                .isEqualTo(403);
        assertThat(service.send("DELETE", "/" + T + "/" + TL + "/ep-scope", tokens.valid(T, TL, null), null)
                .statusCode()).isEqualTo(403);
        assertThat(service.send("DELETE", "/" + T, tokens.valid(T2, null, null), null).statusCode()).isEqualTo(403);
        assertThat(stored(T, TL, "ep-scope", "lfc_state")).isTrue();
    }

    @Test
    void statusAndMetricsNeedNoToken() throws Exception {
        putObject(T, TL, "ep-metrics", "lfc_state");
        service.send("GET", objectPath(T, TL, "ep-metrics", "lfc_state"), tokens.valid(T, TL, "ep-metrics"), null);
        service.send("GET", objectPath(T, TL, "ep-metrics", "lfc_state"), null, null);

        assertThat(text(service.send("GET", "/status", null, null))).isEqualTo("OK");
        HttpResponse<byte[]> status = service.send("GET", "/v1/status", null, null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(text(status)).contains("\"service\":\"endpoint-storage\"");
        String metrics = text(service.send("GET", "/metrics", null, null));
        assertThat(metrics).contains("jvm_memory_used_bytes")
                .containsPattern("endpoint_storage_requests_total\\{method=\"PUT\",route=\"/\\{tenant}/\\{timeline}/"
                        + "\\{endpoint}/\\{\\*key}\",status=\"200\"} [1-9]")
                .containsPattern("endpoint_storage_requests_total\\{method=\"GET\",route=\"[^\"]+\",status=\"401\"} [1-9]")
                .containsPattern("endpoint_storage_received_bytes_total(\\{[^}]*})? [1-9]")
                .containsPattern("endpoint_storage_sent_bytes_total(\\{[^}]*})? [1-9]");
    }

    @Test
    void refusesToStartWithoutAKeyUnlessAuthIsDisabled() throws Exception {
        Path other = work.resolve("unauthenticated");
        assertThatThrownBy(() -> RunningEndpointStorage.start("--jneon.endpoint-storage.local-path=" + other))
                .hasStackTraceContaining("jneon.endpoint-storage.pemfile is not set");
        try (RunningEndpointStorage open = RunningEndpointStorage.start("--jneon.endpoint-storage.auth=disabled",
                "--jneon.endpoint-storage.local-path=" + other)) {
            String path = objectPath(T, TL, "ep-open", "k");
            assertThat(open.send("PUT", path, null, "v".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            assertThat(text(open.send("GET", path, null, null))).isEqualTo("v");
        }
    }

    private static void delete(Path dir) throws Exception {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
