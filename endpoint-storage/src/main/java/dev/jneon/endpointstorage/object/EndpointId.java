package dev.jneon.endpointstorage.object;

import dev.jneon.common.remote.RemotePath;
import java.util.Objects;

/**
 * A compute endpoint's id as the control plane names it (e.g. {@code ep-cool-darkness-123456}): one
 * storage path segment, so not empty, not {@code .} or {@code ..}, without {@code /}, backslash or
 * control characters. Immutable.
 */
public record EndpointId(String value) {

    public EndpointId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.equals(".") || value.equals("..") || value.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid endpoint id '" + value + "'");
        }
        RemotePath.of(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
