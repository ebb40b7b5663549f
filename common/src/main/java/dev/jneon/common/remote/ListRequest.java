package dev.jneon.common.remote;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link RemoteStorage#list} returns: the objects whose keys start with {@link #keyPrefix}, either
 * all of them ({@code delimited == false}) or, with {@code delimited}, only the direct children of a
 * folder: its objects plus its sub-folders (the S3 "common prefixes" for delimiter {@code /}).
 * Backends page through their list API internally; {@link #maxKeys} caps the total number of
 * entries (objects plus folders) returned.
 *
 * <p>{@code keyPrefix} is relative to the storage root like a {@link RemotePath}: empty (everything),
 * a folder ending with {@code /}, or a key prefix that may end inside a segment (for example
 * {@code .../index_part.json} to find {@code index_part.json-<gen>}). Build it with the factory
 * methods, which keep it valid. Immutable.
 */
public record ListRequest(String keyPrefix, boolean delimited, OptionalInt maxKeys) {

    public ListRequest {
        if (!keyPrefix.isEmpty()) {
            String withoutSlash = keyPrefix.endsWith("/") ? keyPrefix.substring(0, keyPrefix.length() - 1) : keyPrefix;
            new RemotePath(withoutSlash);
        }
        if (delimited && !keyPrefix.isEmpty() && !keyPrefix.endsWith("/")) {
            throw new IllegalArgumentException("a delimited listing lists a folder, not a key prefix: " + keyPrefix);
        }
        if (maxKeys.isPresent() && maxKeys.getAsInt() <= 0) {
            throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys.getAsInt());
        }
    }

    /** Every object in the storage. */
    public static ListRequest everything() {
        return new ListRequest("", false, OptionalInt.empty());
    }

    /** Every object below {@code folder} (recursively); the object named {@code folder} itself is not included. */
    public static ListRequest under(RemotePath folder) {
        return new ListRequest(folder.value() + "/", false, OptionalInt.empty());
    }

    /** Every object whose key starts with the characters of {@code prefix}. */
    public static ListRequest keysStartingWith(RemotePath prefix) {
        return new ListRequest(prefix.value(), false, OptionalInt.empty());
    }

    /** The objects and sub-folders directly inside {@code folder}, or inside the root when empty. */
    public static ListRequest children(Optional<RemotePath> folder) {
        return new ListRequest(folder.map(f -> f.value() + "/").orElse(""), true, OptionalInt.empty());
    }

    /** This request returning at most {@code limit} entries. */
    public ListRequest limit(int limit) {
        return new ListRequest(keyPrefix, delimited, OptionalInt.of(limit));
    }

    /** Whether {@code count} entries already fill the request. */
    boolean isFull(int count) {
        return maxKeys.isPresent() && count >= maxKeys.getAsInt();
    }
}
