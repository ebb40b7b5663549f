package dev.jneon.common.remote;

import java.util.Objects;
import java.util.Optional;

/**
 * The key of an object in remote storage, relative to the storage's root: {@code /}-separated
 * segments such as {@code tenants/<tenant_shard_id>/timelines/<timeline_id>/index_part.json-00000001}.
 * A backend maps it to its own namespace by prepending its configured prefix (S3
 * {@code prefix_in_bucket}, Azure {@code prefix_in_container}) or its root directory; callers never
 * see that prefix.
 *
 * <p>Validated on construction: not empty, no leading or trailing {@code /}, no empty, {@code .} or
 * {@code ..} segments, no backslash and no control characters (so a key means the same on every
 * backend, including a local file system). Immutable.
 */
public record RemotePath(String value) implements Comparable<RemotePath> {

    /** The separator between segments. */
    public static final char SEPARATOR = '/';

    public RemotePath {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("remote path is empty");
        }
        for (String segment : value.split("/", -1)) {
            checkSegment(segment, value);
        }
    }

    /** Parses a relative key such as {@code a/b/c}. */
    public static RemotePath of(String value) {
        return new RemotePath(value);
    }

    /** The path of {@code first} followed by the given segments or relative paths. */
    public static RemotePath of(String first, String... more) {
        RemotePath path = new RemotePath(first);
        for (String next : more) {
            path = path.join(next);
        }
        return path;
    }

    /** This path followed by a relative path (one or more segments). */
    public RemotePath join(String relative) {
        return new RemotePath(value + SEPARATOR + new RemotePath(relative).value);
    }

    /** This path followed by another relative path. */
    public RemotePath join(RemotePath relative) {
        return new RemotePath(value + SEPARATOR + relative.value);
    }

    /** The path without its last segment; empty for a single-segment path. */
    public Optional<RemotePath> parent() {
        int slash = value.lastIndexOf(SEPARATOR);
        return slash < 0 ? Optional.empty() : Optional.of(new RemotePath(value.substring(0, slash)));
    }

    /** The last segment. */
    public String name() {
        return value.substring(value.lastIndexOf(SEPARATOR) + 1);
    }

    /** Whether {@code ancestor} is this path or one of its parents (segment-wise, not by characters). */
    public boolean isWithin(RemotePath ancestor) {
        return value.equals(ancestor.value)
                || value.startsWith(ancestor.value) && value.charAt(ancestor.value.length()) == SEPARATOR;
    }

    /** This path with {@code ancestor} and the following separator removed; {@code ancestor} must contain it. */
    public RemotePath relativeTo(RemotePath ancestor) {
        if (value.equals(ancestor.value) || !isWithin(ancestor)) {
            throw new IllegalArgumentException(value + " is not below " + ancestor.value);
        }
        return new RemotePath(value.substring(ancestor.value.length() + 1));
    }

    @Override
    public int compareTo(RemotePath other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static void checkSegment(String segment, String path) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("remote path has an empty segment (leading, trailing or double /): '"
                    + path + "'");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("remote path has a '" + segment + "' segment: '" + path + "'");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\') {
                throw new IllegalArgumentException("remote path has a backslash: '" + path + "'");
            }
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("remote path has a control character at " + i + ": '"
                        + path.replaceAll("\\p{Cntrl}", "?") + "'");
            }
        }
    }
}
