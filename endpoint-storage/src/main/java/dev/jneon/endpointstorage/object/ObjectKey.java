package dev.jneon.endpointstorage.object;

import dev.jneon.common.remote.RemotePath;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The key of an object below its endpoint's folder, normalised: {@link #parse} strips leading
 * {@code /}, drops empty and {@code .} segments and resolves {@code ..} lexically against the segments
 * before it. A key that ends up empty (such as {@code ""}, {@code "/"}, {@code "."}) or whose
 * {@code ..} would climb out of the endpoint's folder is rejected, as are backslashes and control
 * characters ({@link RemotePath}'s rules). Immutable.
 */
public record ObjectKey(RemotePath path) {

    public ObjectKey {
        Objects.requireNonNull(path, "path");
    }

    /** Normalises a key as it appears in a URL; throws {@link IllegalArgumentException} saying why it is invalid. */
    public static ObjectKey parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/", -1)) {
            switch (segment) {
                case "", "." -> { }
                case ".." -> {
                    if (segments.pollLast() == null) {
                        throw new IllegalArgumentException("key '" + raw + "' escapes its endpoint's folder");
                    }
                }
                default -> segments.addLast(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("key '" + raw + "' is empty after normalisation");
        }
        return new ObjectKey(RemotePath.of(String.join("/", segments)));
    }

    @Override
    public String toString() {
        return path.value();
    }
}
