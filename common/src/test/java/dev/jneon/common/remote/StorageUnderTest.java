package dev.jneon.common.remote;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One backend the remote-storage contract runs against, and how to make its server fail the way a
 * killed process does. {@link #open} gives a storage confined to a fresh prefix (or directory) with
 * small list pages ({@link #PAGE}) and {@link RemoteStorageConfig#MIN_PART_SIZE}-sized parts, so
 * pagination and multipart paths run with modest data.
 */
sealed interface StorageUnderTest {

    /** Keys per list request, small so listings page. */
    int PAGE = 3;
    /** Part/block size for multipart uploads. */
    long PART = 8L << 20;

    RemoteStorage open(String prefix, Path scratch) throws IOException;

    /** Makes the server behind {@code storage} fail every request, breaking uploads in flight. */
    void kill(RemoteStorage storage) throws Exception;

    /** Brings the server back with the data it had. */
    void restart(RemoteStorage storage) throws Exception;

    /**
     * Whether the server itself makes a completed upload visible at once. s3rver does not: it writes
     * the object file in place while completing (also for multipart uploads), so for a moment a
     * reader sees a growing object; real S3 makes it visible atomically.
     */
    default boolean completesAtomically() {
        return true;
    }

    /** A local directory; a "kill" is an outage of the fault-injecting decorator around it. */
    record LocalFs() implements StorageUnderTest {
        @Override
        public RemoteStorage open(String prefix, Path scratch) {
            return new FaultInjectingRemoteStorage(
                    new LocalFsRemoteStorage(new RemoteStorageConfig.LocalFs(scratch.resolve(prefix))));
        }

        @Override
        public void kill(RemoteStorage storage) {
            ((FaultInjectingRemoteStorage) storage).startOutage();
        }

        @Override
        public void restart(RemoteStorage storage) {
            ((FaultInjectingRemoteStorage) storage).endOutage();
        }

        @Override
        public String toString() {
            return "local fs";
        }
    }

    /** s3rver on loopback; a kill is SIGKILL of its process. */
    record S3rver(ObjectServers servers) implements StorageUnderTest {
        @Override
        public RemoteStorage open(String prefix, Path scratch) throws IOException {
            RemoteStorageConfig.S3 config = RemoteStorageConfig.S3.bucket(ObjectServers.BUCKET, "us-east-1")
                    .withEndpoint(ObjectServers.s3Endpoint(servers.s3rver()),
                            new RemoteStorageConfig.S3Credentials("S3RVER", "S3RVER"))
                    .withLayout(Optional.of(RemotePath.of("contract", prefix)), OptionalInt.of(PAGE), PART);
            return RemoteStorage.open(config);
        }

        @Override
        public void kill(RemoteStorage storage) throws Exception {
            servers.s3rver().kill();
        }

        @Override
        public void restart(RemoteStorage storage) throws Exception {
            servers.s3rver().restart();
        }

        @Override
        public boolean completesAtomically() {
            return false;
        }

        @Override
        public String toString() {
            return "s3rver";
        }
    }

    /** Azurite on loopback; a kill is SIGKILL of its process. */
    record Azurite(ObjectServers servers) implements StorageUnderTest {
        @Override
        public RemoteStorage open(String prefix, Path scratch) throws IOException {
            RemoteStorageConfig.Azure config = RemoteStorageConfig.Azure.container(ObjectServers.CONTAINER,
                            ObjectServers.AZURITE_ACCOUNT, "local", ObjectServers.AZURITE_KEY)
                    .withLayout(Optional.of(ObjectServers.azuriteEndpoint(servers.azurite())),
                            Optional.of(RemotePath.of("contract", prefix)), OptionalInt.of(PAGE), PART);
            createContainer();
            return RemoteStorage.open(config);
        }

        @Override
        public void kill(RemoteStorage storage) throws Exception {
            servers.azurite().kill();
        }

        /** Restarts Azurite; its metadata store may lose the last moments before the kill, so the container is ensured. */
        @Override
        public void restart(RemoteStorage storage) throws Exception {
            servers.azurite().restart();
            createContainer();
        }

        private void createContainer() throws IOException {
            BlobContainerClient container = new BlobContainerClientBuilder()
                    .endpoint(ObjectServers.azuriteEndpoint(servers.azurite()).toString())
                    .credential(new StorageSharedKeyCredential(ObjectServers.AZURITE_ACCOUNT, ObjectServers.AZURITE_KEY))
                    .containerName(ObjectServers.CONTAINER)
                    .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build())
                    .buildClient();
            container.createIfNotExists();
        }

        @Override
        public String toString() {
            return "azurite";
        }
    }
}
