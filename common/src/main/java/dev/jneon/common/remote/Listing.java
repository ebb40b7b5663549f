package dev.jneon.common.remote;

import java.util.List;

/**
 * The result of {@link RemoteStorage#list}: objects in key order and, for a delimited listing, the
 * sub-folders (paths without a trailing {@code /}) in key order. Immutable.
 */
public record Listing(List<RemoteObject> objects, List<RemotePath> folders) {

    public Listing {
        objects = List.copyOf(objects);
        folders = List.copyOf(folders);
    }

    /** The keys of {@link #objects}. */
    public List<RemotePath> keys() {
        return objects.stream().map(RemoteObject::path).toList();
    }
}
