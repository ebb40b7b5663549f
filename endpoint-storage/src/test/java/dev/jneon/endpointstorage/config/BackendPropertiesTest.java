package dev.jneon.endpointstorage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorageConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The flattened remote-storage keys select and configure the backend as Neon's config does. */
class BackendPropertiesTest {

    private static BackendProperties bind(Map<String, String> keys) {
        return new Binder(new MapConfigurationPropertySource(keys)).bindOrCreate("jneon.endpoint-storage",
                BackendProperties.class);
    }

    @Test
    void withoutKeysALocalDirectoryIsUsed() {
        assertThat(bind(Map.of()).toConfig())
                .isEqualTo(new RemoteStorageConfig.LocalFs(BackendProperties.DEFAULT_LOCAL_PATH));
        assertThat(bind(Map.of("jneon.endpoint-storage.local_path", "/srv/es")).toConfig())
                .isEqualTo(new RemoteStorageConfig.LocalFs(Path.of("/srv/es")));
    }

    @Test
    void aBucketSelectsS3WithPathStyleForAnEndpoint() {
        RemoteStorageConfig config = bind(Map.of("jneon.endpoint-storage.bucket-name", "b",
                "jneon.endpoint-storage.bucket-region", "eu-central-1",
                "jneon.endpoint-storage.prefix-in-bucket", "endpoint-storage/v1",
                "jneon.endpoint-storage.endpoint", "http://127.0.0.1:9000",
                "jneon.endpoint-storage.access-key-id", "id", "jneon.endpoint-storage.secret-access-key", "TOPSECRET",
                "jneon.endpoint-storage.small-timeout", "5s")).toConfig();
        RemoteStorageConfig.S3 s3 = (RemoteStorageConfig.S3) config;
        assertThat(s3.bucketName()).isEqualTo("b");
        assertThat(s3.prefixInBucket()).contains(RemotePath.of("endpoint-storage/v1"));
        assertThat(s3.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(s3.forcePathStyle()).isTrue();
        assertThat(s3.credentials()).isPresent();
        assertThat(s3.timeouts().smallTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s3.toString()).doesNotContain("TOPSECRET");
    }

    @Test
    void aContainerSelectsAzure() {
        RemoteStorageConfig.Azure azure = (RemoteStorageConfig.Azure) bind(Map.of(
                "jneon.endpoint-storage.container-name", "c", "jneon.endpoint-storage.storage-account", "acct",
                "jneon.endpoint-storage.container-region", "westeurope",
                "jneon.endpoint-storage.account-key", "a2V5")).toConfig();
        assertThat(azure.containerName()).isEqualTo("c");
        assertThat(azure.storageAccount()).contains("acct");
        assertThat(azure.prefixInContainer()).isEqualTo(Optional.empty());
        assertThat(azure.connPoolSize()).isEqualTo(8);
    }

    @Test
    void twoBackendsOrAnIncompleteOneAreRefused() {
        assertThatThrownBy(() -> bind(Map.of("jneon.endpoint-storage.local-path", "/x",
                "jneon.endpoint-storage.bucket-name", "b")).toConfig()).hasMessageContaining("only one");
        assertThatThrownBy(() -> bind(Map.of("jneon.endpoint-storage.bucket-name", "b")).toConfig())
                .hasMessageContaining("bucket_region");
        assertThat(bind(Map.of("jneon.endpoint-storage.account-key", "SECRET",
                "jneon.endpoint-storage.container-name", "c")).toString()).doesNotContain("SECRET");
    }
}
