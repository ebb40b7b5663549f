package dev.jneon.endpointstorage;

import static dev.jneon.endpointstorage.RunningEndpointStorage.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.jneon.common.remote.ObjectServers;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.endpointstorage.auth.TestTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The object round trip and a prefix delete against s3rver and Azurite (real servers on loopback, run
 * by common's {@link ObjectServers}), with the backend chosen by the flattened remote-storage keys and
 * a fresh key prefix per test. Objects are checked in the backend itself through the service's
 * {@link RemoteStorage}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"s3rver", "azurite"})
class EndpointStorageBackendsIT {

    @RegisterExtension
    static final ObjectServers SERVERS = new ObjectServers();

    private static final String T = "33333333333333333333333333333333";
    private static final String TL = "cccccccccccccccccccccccccccccccc";

    @Parameter
    String backend;

    @TempDir
    Path dir;

    private final TestTokens tokens = TestTokens.generate();
    private RunningEndpointStorage service;

    @BeforeEach
    void start() throws Exception {
        service = RunningEndpointStorage.start(args(ObjectServers.BUCKET));
    }

    /** The service's arguments for a bucket or container named {@code name} and a fresh key prefix. */
    private String[] args(String name) throws Exception {
        String prefix = "endpoint-storage-" + UUID.randomUUID();
        List<String> backendArgs = switch (backend) {
            case "s3rver" -> List.of("--jneon.endpoint-storage.bucket-name=" + name,
                    "--jneon.endpoint-storage.bucket-region=us-east-1",
                    "--jneon.endpoint-storage.endpoint=" + ObjectServers.s3Endpoint(SERVERS.s3rver()),
                    "--jneon.endpoint-storage.access-key-id=S3RVER",
                    "--jneon.endpoint-storage.secret-access-key=S3RVER",
                    "--jneon.endpoint-storage.prefix-in-bucket=" + prefix);
            case "azurite" -> {
                String endpoint = ObjectServers.azuriteEndpoint(SERVERS.azurite()).toString();
                new BlobContainerClientBuilder().endpoint(endpoint)
                        .credential(new StorageSharedKeyCredential(ObjectServers.AZURITE_ACCOUNT,
                                ObjectServers.AZURITE_KEY))
                        .containerName(ObjectServers.CONTAINER).httpClient(new JdkHttpClientBuilder().build())
                        .buildClient().createIfNotExists();
                yield List.of("--jneon.endpoint-storage.container-name=" + name,
                        "--jneon.endpoint-storage.storage-account=" + ObjectServers.AZURITE_ACCOUNT,
                        "--jneon.endpoint-storage.container-region=local",
                        "--jneon.endpoint-storage.account-key=" + ObjectServers.AZURITE_KEY,
                        "--jneon.endpoint-storage.endpoint=" + endpoint,
                        "--jneon.endpoint-storage.prefix-in-container=" + prefix);
            }
            default -> throw new IllegalArgumentException(backend);
        };
        String pem = "--jneon.endpoint-storage.pemfile=" + tokens.writePublicPem(dir.resolve("auth_public.pem"));
        return Stream.concat(Stream.of(pem), backendArgs.stream()).toArray(String[]::new);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void objectsRoundTripThroughTheBackend() throws Exception {
        RemoteStorage storage = service.bean(RemoteStorage.class);
        String token = tokens.valid(T, TL, "ep-remote");
        String path = "/" + T + "/" + TL + "/ep-remote/lfc_state";
        byte[] state = "offloaded prewarm state".getBytes(StandardCharsets.UTF_8);

        assertThat(service.send("PUT", path, token, state).statusCode()).isEqualTo(200);
        assertThat(storage.head(RemotePath.of(T, TL, "ep-remote", "lfc_state")).size()).isEqualTo(state.length);
        assertThat(service.send("GET", path, tokens.valid(T, TL, "ep-other"), null).body()).isEqualTo(state);
        assertThat(service.send("DELETE", path, token, null).statusCode()).isEqualTo(200);
        assertThat(service.send("GET", path, token, null).statusCode()).isEqualTo(404);
        assertThat(text(service.send("GET", path, null, null))).contains("msg");

        assertThat(service.send("PUT", path, token, state).statusCode()).isEqualTo(200);
        assertThat(service.send("PUT", "/" + T + "/" + TL + "/ep-remote/a/b", token, state).statusCode())
                .isEqualTo(200);
        assertThat(service.send("DELETE", "/" + T + "/" + TL, tokens.valid(T, TL, null), null).statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> storage.head(RemotePath.of(T, TL, "ep-remote", "a", "b")))
                .isInstanceOf(RemoteStorageException.NotFound.class);
        assertThat(service.send("GET", path, token, null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesToStartWhenTheStartupProbeCannotWrite() throws Exception {
        String[] missingBucket = args("no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8));
        assertThatThrownBy(() -> RunningEndpointStorage.start(missingBucket).close())
                .hasStackTraceContaining("write_access_");
    }
}
