package dev.jneon.endpointstorage.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The service's own settings ({@code jneon.endpoint-storage.*}); the backend keys next to them are
 * in {@link BackendProperties}. Validated at start-up. Immutable.
 *
 * @param pemfile PEM file ({@code PUBLIC KEY}, X.509 SubjectPublicKeyInfo) of the Ed25519 key that
 *     verifies request tokens; required unless {@code auth} is {@code disabled}
 * @param auth {@code enabled} (default) or {@code disabled}; disabled accepts every request without
 *     a token and must be asked for explicitly
 * @param maxUploadFileLimit largest PUT body, Neon's {@code max_upload_file_limit}; default 100 MiB,
 *     at most 2 GiB (bodies are buffered in memory)
 */
@ConfigurationProperties("jneon.endpoint-storage")
public record EndpointStorageProperties(Path pemfile, AuthMode auth, DataSize maxUploadFileLimit) {

    /** Default {@code max_upload_file_limit}: 100 MiB. */
    public static final DataSize DEFAULT_UPLOAD_LIMIT = DataSize.ofMegabytes(100);

    /** Largest accepted {@code max_upload_file_limit}: bodies are buffered in one array. */
    public static final long MAX_UPLOAD_LIMIT = Integer.MAX_VALUE - 16;

    /** Whether requests must carry a token. */
    public enum AuthMode { ENABLED, DISABLED }

    public EndpointStorageProperties {
        auth = auth != null ? auth : AuthMode.ENABLED;
        maxUploadFileLimit = maxUploadFileLimit != null ? maxUploadFileLimit : DEFAULT_UPLOAD_LIMIT;
        long limit = maxUploadFileLimit.toBytes();
        if (limit <= 0 || limit > MAX_UPLOAD_LIMIT) {
            throw new IllegalArgumentException("jneon.endpoint-storage.max-upload-file-limit must be between 1 byte "
                    + "and 2 GiB, got " + limit + " bytes");
        }
        if (auth == AuthMode.ENABLED && pemfile == null) {
            throw new IllegalArgumentException("jneon.endpoint-storage.pemfile is not set: give the Ed25519 public "
                    + "key that verifies tokens, or set jneon.endpoint-storage.auth=disabled to run without auth");
        }
    }
}
