package dev.jneon.common.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteStorageConfigTest {

    @TempDir
    Path root;

    @Test
    void openBuildsTheBackendTheConfigNames() {
        RemoteStorageConfig.S3 s3 = RemoteStorageConfig.S3.bucket("bucket", "eu-central-1")
                .withEndpoint(URI.create("http://127.0.0.1:1"), new RemoteStorageConfig.S3Credentials("id", "secret"));
        RemoteStorageConfig.Azure azure = RemoteStorageConfig.Azure.container("c", "acct", "westeurope", "a2V5");

        try (RemoteStorage local = RemoteStorage.open(new RemoteStorageConfig.LocalFs(root));
             RemoteStorage bucket = RemoteStorage.open(s3);
             RemoteStorage container = RemoteStorage.open(azure)) {
            assertThat(local).isInstanceOf(LocalFsRemoteStorage.class);
            assertThat(bucket).isInstanceOf(S3RemoteStorage.class);
            assertThat(container).isInstanceOf(AzureRemoteStorage.class);
        }
    }

    @Test
    void defaultsFollowNeon() {
        RemoteStorageConfig.S3 s3 = RemoteStorageConfig.S3.bucket("bucket", "eu-central-1");

        assertThat(s3.concurrencyLimit()).isEqualTo(100);
        assertThat(s3.timeouts()).isEqualTo(RemoteTimeouts.DEFAULT);
        assertThat(RemoteTimeouts.DEFAULT.timeout()).hasSeconds(120);
        assertThat(RemoteTimeouts.DEFAULT.smallTimeout()).hasSeconds(30);
        assertThat(RemoteStorageConfig.Azure.container("c", "a", "r", "k").connPoolSize()).isEqualTo(8);
    }

    @Test
    void secretsStayOutOfToString() {
        RemoteStorageConfig.S3 s3 = RemoteStorageConfig.S3.bucket("bucket", "r")
                .withEndpoint(URI.create("http://127.0.0.1:1"), new RemoteStorageConfig.S3Credentials("id", "TOPSECRET"));
        RemoteStorageConfig.Azure azure = RemoteStorageConfig.Azure.container("c", "acct", "r", "TOPSECRET");

        assertThat(s3.toString()).contains("bucket").doesNotContain("TOPSECRET");
        assertThat(azure.toString()).contains("acct").doesNotContain("TOPSECRET");
    }

    @Test
    void invalidValuesAreRejected() {
        RemoteStorageConfig.S3 s3 = RemoteStorageConfig.S3.bucket("bucket", "r");

        assertThatThrownBy(() -> RemoteStorageConfig.S3.bucket(" ", "r")).hasMessageContaining("bucket_name");
        assertThatThrownBy(() -> s3.withLayout(Optional.empty(), OptionalInt.of(0), s3.partSize()))
                .hasMessageContaining("max_keys_per_list_response");
        assertThatThrownBy(() -> s3.withLayout(Optional.empty(), OptionalInt.empty(), 1 << 20))
                .hasMessageContaining("part size");
        assertThatThrownBy(() -> new RemoteStorageConfig.Azure("c", Optional.empty(), "r", Optional.empty(),
                Optional.empty(), 1, 1, Optional.empty(), Optional.empty(), OptionalInt.empty(),
                RemoteStorageConfig.DEFAULT_PART_SIZE, RemoteTimeouts.DEFAULT)).hasMessageContaining("storage_account");
        assertThatThrownBy(() -> new RemoteTimeouts(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localFsHidesUploadsInProgressAndRemovesOldOrphans() throws Exception {
        Path temp = Files.createDirectories(root.resolve(LocalFsRemoteStorage.TEMP_DIR));
        Path old = Files.writeString(temp.resolve("old.upload"), "crashed long ago");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(7200)));
        Path recent = Files.writeString(temp.resolve("recent.upload"), "maybe another writer's");

        try (RemoteStorage storage = new LocalFsRemoteStorage(new RemoteStorageConfig.LocalFs(root))) {
            assertThat(old).doesNotExist();
            assertThat(recent).exists();
            assertThat(storage.list(ListRequest.everything()).objects()).isEmpty();
            assertThat(storage.list(ListRequest.children(Optional.empty())).folders()).isEmpty();
            assertThatThrownBy(() -> storage.put(RemotePath.of(LocalFsRemoteStorage.TEMP_DIR + "/x"),
                    ObjectSource.of(new byte[1]), 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
