package dev.jneon.common.remote;

import java.util.Optional;

/**
 * Maps {@link RemotePath}s to the keys (S3) or blob names (Azure) of a bucket or container under an
 * optional prefix, and back: {@code a/b} under prefix {@code p/q} is {@code p/q/a/b}. Immutable.
 */
final class S3Keys {

    private final String base;

    S3Keys(Optional<RemotePath> prefix) {
        this.base = prefix.map(p -> p.value() + "/").orElse("");
    }

    /** The full key of a path. */
    String full(RemotePath path) {
        return base + path.value();
    }

    /** The full key prefix of a {@link ListRequest#keyPrefix()}. */
    String full(String relativePrefix) {
        return base + relativePrefix;
    }

    /** The path of a full key returned by a listing. */
    RemotePath relative(String fullKey) {
        if (!fullKey.startsWith(base)) {
            throw new IllegalStateException("listed key " + fullKey + " is outside prefix " + base);
        }
        return new RemotePath(fullKey.substring(base.length()));
    }

    /** The path of a folder (common prefix, ending with {@code /}) returned by a delimited listing. */
    RemotePath relativeFolder(String fullPrefix) {
        String withoutSlash = fullPrefix.endsWith("/") ? fullPrefix.substring(0, fullPrefix.length() - 1) : fullPrefix;
        return relative(withoutSlash);
    }
}
