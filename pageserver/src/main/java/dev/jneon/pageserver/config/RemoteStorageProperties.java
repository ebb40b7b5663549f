package dev.jneon.pageserver.config;

import dev.jneon.common.remote.RemoteStorageKeys;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The pageserver's remote storage: {@code jneon.pageserver.remote-storage.*} (see
 * {@link RemoteStorageKeys}); unset = nothing is uploaded. Immutable.
 */
@ConfigurationProperties("jneon.pageserver")
public record RemoteStorageProperties(RemoteStorageKeys remoteStorage) {

    public RemoteStorageProperties {
        remoteStorage = remoteStorage != null ? remoteStorage : RemoteStorageKeys.NONE;
    }
}
